namespace Portal.Sandbox;

/// <summary>
/// The ECS services of the stacks (<see cref="SimulatedService"/>), kept with their stack: a stack operation tells them
/// when CloudFormation starts, interrupts, reverts or deletes a service, and the ECS, Elastic Load Balancing and CloudWatch
/// Logs endpoints read them. Called under the lock.
/// </summary>
internal sealed partial class CloudFormationSimulator
{
    /// <summary>Services a stack keeps: those it has, then the most recently deleted (for what they tell of a failure).</summary>
    public const int MaxServicesPerStack = 20;

    /// <summary>CloudFormation creates, updates or replaces <paramref name="deployed"/>: a new deployment of what it now runs.</summary>
    public void ServiceDeploying(SandboxStack stack, StackBlueprint blueprint, TemplateResource resource, DeployedResource deployed)
    {
        if (resource.Type != "AWS::ECS::Service")
            return;
        var resources = new Dictionary<string, DeployedResource>(stack.Resources, StringComparer.Ordinal);
        var evaluator = blueprint.Evaluator(resources);
        if (evaluator.Evaluate(resource.Properties) is not System.Text.Json.Nodes.JsonObject properties ||
            EcsServiceSpec.From(resource, properties, blueprint, resources, evaluator) is not { } spec)
            return;
        var now = Time.GetUtcNow();
        var service = LiveService(stack, deployed.PhysicalId);
        if (service is null)
        {
            service = new SimulatedService
            {
                LogicalId = deployed.LogicalId,
                ServiceArn = deployed.PhysicalId,
                ServiceName = deployed.Attributes.TryGetValue("Name", out var name) && name is not null ? name.ToString() : deployed.PhysicalId[(deployed.PhysicalId.LastIndexOf('/') + 1)..],
                ClusterArn = spec.ClusterArn,
                LaunchType = spec.LaunchType,
                CreatedAt = now,
                TargetGroupArn = spec.TargetGroupArn,
                LoadBalancedContainer = spec.LoadBalancedContainer,
                LoadBalancedPort = spec.LoadBalancedPort,
                CircuitBreaker = spec.CircuitBreaker,
                CircuitBreakerRollback = spec.CircuitBreakerRollback,
            };
            stack.Services.Add(service);
            var gone = stack.Services.Where(s => s.DeletedAt is not null).OrderBy(s => s.DeletedAt).ToList();
            foreach (var old in gone.Take(Math.Max(0, stack.Services.Count - MaxServicesPerStack)))
                stack.Services.Remove(old);
        }
        ServiceTimeline.Deploy(service, spec, now, ResourceCatalog.Duration(resource.Type) * Options.TimeScale, Options.Region, Options.AccountId);
        Changed(stack);
    }

    /// <summary>CloudFormation stopped waiting for the service (another resource failed): what was still to happen does not.</summary>
    public void ServiceInterrupted(SandboxStack stack, string serviceArn)
    {
        if (LiveService(stack, serviceArn) is not { } service)
            return;
        ServiceTimeline.StopAt(service, Time.GetUtcNow(), service.Deployments.LastOrDefault());
        Changed(stack);
    }

    /// <summary>An update's rollback returns the service to <paramref name="previous"/>: the deployment before takes over again.</summary>
    public void ServiceReverting(SandboxStack stack, DeployedResource previous)
    {
        if (LiveService(stack, previous.PhysicalId) is not { Deployments: [.., var failed] } service || failed.RolledBackAt is not null)
            return;
        var now = Time.GetUtcNow();
        ServiceTimeline.StopAt(service, now, failed);
        failed.RolledBackAt = now;
        var before = service.Deployments.LastOrDefault(d => d != failed && d.FailedAt is null && d.RolledBackAt is null);
        // The deployment before was replaced already (the update had succeeded): roll its task definition out again.
        if (before is not null && !service.Tasks.Any(t => t.DeploymentId == before.Id && t.IsRunningAt(now)))
            ServiceTimeline.Deploy(service, new EcsServiceSpec(before.TaskDefinitionArn, before.DesiredCount, service.ClusterArn, service.LaunchType,
                before.Containers, service.TargetGroupArn, service.LoadBalancedContainer, service.LoadBalancedPort, "/",
                service.CircuitBreaker, service.CircuitBreakerRollback), now, ResourceCatalog.Duration(previous.Type) * Options.TimeScale, Options.Region, Options.AccountId);
        Changed(stack);
    }

    /// <summary>CloudFormation deletes the service: it drains (its tasks stop now), and is INACTIVE once the delete completes.</summary>
    public void ServiceDeleting(SandboxStack stack, string serviceArn, bool completed)
    {
        if (LiveService(stack, serviceArn) is not { } service)
            return;
        var now = Time.GetUtcNow();
        if (completed)
            service.DeletedAt = now;
        else if (service.DrainingAt is null)
        {
            service.DrainingAt = now;
            ServiceTimeline.StopAt(service, now);
        }
        Changed(stack);
    }

    /// <summary>Every service the account knows of, with the stack it belongs to (deleted stacks still kept included).</summary>
    public IEnumerable<(SandboxStack Stack, SimulatedService Service)> Services() =>
        _stacksById.Values.SelectMany(stack => stack.Services.Select(service => (stack, service)));

    /// <summary>Whether a live stack holds a resource of <paramref name="type"/> with <paramref name="physicalId"/>.</summary>
    public bool ResourceExists(string type, string physicalId) =>
        _stacksByName.Values.Any(stack => stack.Resources.Values.Any(r => r.Type == type && r.PhysicalId == physicalId));

    private static SimulatedService? LiveService(SandboxStack stack, string serviceArn) =>
        stack.Services.LastOrDefault(s => s.ServiceArn == serviceArn && s.DeletedAt is null);
}
