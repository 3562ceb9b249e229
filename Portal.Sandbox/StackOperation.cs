using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// One create, update or delete of a stack, run in the background. Resources start as soon as everything
/// they depend on has completed (deletes: once everything depending on them is gone), each emitting the
/// events CloudFormation emits; a failure cancels what is in flight and rolls the stack back.
/// </summary>
internal sealed class StackOperation
{
    private readonly CloudFormationSimulator _simulator;
    private readonly SandboxStack _stack;
    private readonly string? _clientRequestToken;
    private readonly CancellationTokenSource _interrupt;
    private readonly List<string> _failedToCreate = [];
    private readonly List<string> _failedToUpdate = [];
    private readonly List<string> _failedToDelete = [];
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeployedResource> _replacedOld = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeployedResource> _replacementNew = new(StringComparer.Ordinal);

    public StackOperation(CloudFormationSimulator simulator, SandboxStack stack, string kind, string? clientRequestToken)
    {
        _simulator = simulator;
        _stack = stack;
        Kind = kind;
        _clientRequestToken = clientRequestToken;
        _interrupt = CancellationTokenSource.CreateLinkedTokenSource(simulator.ShutdownToken);
    }

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public string Kind { get; }

    private bool CancelRequested { get; set; }

    /// <summary>CancelUpdateStack: stop what is in flight and roll back. Called under the simulator's lock.</summary>
    public void RequestCancel()
    {
        CancelRequested = true;
        _interrupt.Cancel();
    }

    /// <summary>
    /// Puts the stack in <paramref name="initialStatus"/> before the caller's request is answered (so nobody
    /// polling afterwards sees the previous status), then runs the rest in the background.
    /// </summary>
    public void Start(string initialStatus, Func<Task> run)
    {
        StackEvent(initialStatus, "User Initiated");
        _ = Task.Run(() => RunAsync(run));
    }

    private async Task RunAsync(Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException) when (_simulator.ShutdownToken.IsCancellationRequested)
        {
            // the sandbox is shutting down; the stack stays as it is
        }
        catch (Exception e)
        {
            StackEvent($"{Kind}_FAILED", $"Sandbox internal error: {e.Message}");
        }
        finally
        {
            _simulator.Finished(_stack);
            _interrupt.Dispose();
        }
    }

    public async Task CreateAsync(SandboxChangeSet changeSet)
    {
        var blueprint = changeSet.Blueprint;
        var created = await WalkAsync(
            blueprint.Resources.Select(r => r.LogicalId).ToList(),
            id => blueprint.ResourcesById[id].Dependencies,
            (id, ct) => CreateResourceAsync(blueprint, id, ct),
            stopOnFailure: true);
        if (created)
        {
            Complete(changeSet, changeSet.Configuration with { Outputs = Outputs(blueprint) }, "EXECUTE_COMPLETE");
            StackEvent("CREATE_COMPLETE", null);
            return;
        }

        StackEvent("ROLLBACK_IN_PROGRESS", $"{FailureSummary()} Rollback requested by user.");
        await DeleteAllAsync(Snapshot(), blueprint, forget: _ => true);
        Complete(changeSet, changeSet.Configuration, "EXECUTE_FAILED");
        StackEvent("ROLLBACK_COMPLETE", null);
    }

    public async Task UpdateAsync(SandboxChangeSet changeSet)
    {
        var next = changeSet.Blueprint;
        StackConfiguration previous;
        Dictionary<string, DeployedResource> before;
        lock (_simulator.Gate)
        {
            previous = _stack.Configuration;
            before = new Dictionary<string, DeployedResource>(_stack.Resources, StringComparer.Ordinal);
        }
        var old = previous.Blueprint!;
        var changes = changeSet.Changes.ToDictionary(c => c.LogicalResourceId, StringComparer.Ordinal);

        var updated = await WalkAsync(
            next.Resources.Select(r => r.LogicalId).ToList(),
            id => next.ResourcesById[id].Dependencies,
            (id, ct) => changes.GetValueOrDefault(id) switch
            {
                null => Task.FromResult(true),
                { Action: "Add" } => CreateResourceAsync(next, id, ct),
                { Replaces: true } => ReplaceResourceAsync(old, next, id, ct),
                _ => UpdateResourceAsync(next, id, ct),
            },
            stopOnFailure: true);

        bool cancelled;
        lock (_simulator.Gate)
        {
            // Decided under the lock so that CancelUpdateStack either lands before cleanup or is refused.
            cancelled = CancelRequested;
            if (updated && !cancelled)
                StackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
        }
        if (updated && !cancelled)
        {
            var removed = changes.Values.Where(c => c.Action == "Remove").Select(c => c.LogicalResourceId).ToHashSet(StringComparer.Ordinal);
            var obsolete = removed.ToDictionary(id => id, id => before[id], StringComparer.Ordinal);
            foreach (var (id, replaced) in _replacedOld)
                obsolete[id] = replaced;
            await DeleteAllAsync(obsolete, old, forget: removed.Contains);
            Complete(changeSet, changeSet.Configuration with { Outputs = Outputs(next) }, "EXECUTE_COMPLETE");
            StackEvent("UPDATE_COMPLETE", null);
            return;
        }

        StackEvent("UPDATE_ROLLBACK_IN_PROGRESS", cancelled ? "Stack update cancelled" : FailureSummary());
        var reverted = _touched.Where(before.ContainsKey).ToList();
        await WalkAsync(
            reverted,
            id => old.ResourcesById.TryGetValue(id, out var r) ? r.Dependencies : [],
            (id, _) => RevertResourceAsync(before[id]),
            stopOnFailure: false);
        StackEvent("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null);
        var added = Snapshot().Where(kv => !before.ContainsKey(kv.Key)).ToDictionary(StringComparer.Ordinal);
        foreach (var (id, replacement) in _replacementNew)
            added[id] = replacement;
        await DeleteAllAsync(added, next, forget: id => !before.ContainsKey(id));
        Complete(changeSet, previous, "EXECUTE_FAILED");
        StackEvent("UPDATE_ROLLBACK_COMPLETE", null);
    }

    public async Task DeleteAsync()
    {
        StackBlueprint? blueprint;
        lock (_simulator.Gate)
            blueprint = _stack.Configuration.Blueprint;
        if (!await DeleteAllAsync(Snapshot(), blueprint, forget: _ => true, failDependedOn: true))
        {
            StackEvent("DELETE_FAILED", $"The following resource(s) failed to delete: [{string.Join(", ", _failedToDelete)}]. ");
            return;
        }
        lock (_simulator.Gate)
        {
            _stack.DeletionTime = _simulator.Time.GetUtcNow();
            _stack.Configuration = _stack.Configuration with { Outputs = [] };
        }
        StackEvent("DELETE_COMPLETE", null);
    }

    private async Task<bool> CreateResourceAsync(StackBlueprint blueprint, string logicalId, CancellationToken ct)
    {
        var resource = blueprint.ResourcesById[logicalId];
        ResourceEvent(logicalId, "", resource.Type, "CREATE_IN_PROGRESS", null);
        DeployedResource created;
        string? failure;
        try
        {
            (var properties, failure) = Render(blueprint, resource);
            created = _simulator.Fakes.Create(logicalId, resource.Type, properties, blueprint.Stack);
        }
        catch (CloudFormationError e)
        {
            return Failed(logicalId, "", resource.Type, "CREATE_FAILED", e.Message, _failedToCreate);
        }
        lock (_simulator.Gate)
            _stack.Resources[logicalId] = created;
        var waited = WaitAsync(resource.Type, ct); // timing starts before the event reports it
        ResourceEvent(logicalId, created.PhysicalId, resource.Type, "CREATE_IN_PROGRESS", "Resource creation Initiated");
        if (!await waited)
            return Failed(logicalId, created.PhysicalId, resource.Type, "CREATE_FAILED", "Resource creation cancelled", _failedToCreate);
        if (failure is not null)
            return Failed(logicalId, created.PhysicalId, resource.Type, "CREATE_FAILED", failure, _failedToCreate);
        ResourceEvent(logicalId, created.PhysicalId, resource.Type, "CREATE_COMPLETE", null);
        return true;
    }

    private async Task<bool> UpdateResourceAsync(StackBlueprint blueprint, string logicalId, CancellationToken ct)
    {
        var resource = blueprint.ResourcesById[logicalId];
        var current = Resource(logicalId);
        lock (_simulator.Gate)
            _touched.Add(logicalId);
        ResourceEvent(logicalId, current.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS", null);
        string? failure;
        try
        {
            (_, failure) = Render(blueprint, resource);
        }
        catch (CloudFormationError e)
        {
            return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", e.Message, _failedToUpdate);
        }
        if (!await WaitAsync(resource.Type, ct))
            return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", "Resource update cancelled", _failedToUpdate);
        if (failure is not null)
            return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", failure, _failedToUpdate);
        ResourceEvent(logicalId, current.PhysicalId, resource.Type, "UPDATE_COMPLETE", null);
        return true;
    }

    private async Task<bool> ReplaceResourceAsync(StackBlueprint old, StackBlueprint next, string logicalId, CancellationToken ct)
    {
        var resource = next.ResourcesById[logicalId];
        var previous = Resource(logicalId);
        lock (_simulator.Gate)
            _touched.Add(logicalId);
        ResourceEvent(logicalId, previous.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS",
            "Requested update requires the creation of a new physical resource; hence creating one.");
        DeployedResource created;
        string? failure;
        try
        {
            (var properties, failure) = Render(next, resource);
            // The new resource would need the name the old one still holds.
            if (ResourceCatalog.CustomNameProperty(resource.Type) is { } nameProperty && properties[nameProperty] is { } name &&
                JsonNode.DeepEquals(resource.Properties[nameProperty], old.ResourcesById[logicalId].Properties[nameProperty]))
                return Failed(logicalId, previous.PhysicalId, resource.Type, "UPDATE_FAILED",
                    $"CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename {name} and update the stack again.",
                    _failedToUpdate);
            created = _simulator.Fakes.Create(logicalId, resource.Type, properties, next.Stack);
        }
        catch (CloudFormationError e)
        {
            return Failed(logicalId, previous.PhysicalId, resource.Type, "UPDATE_FAILED", e.Message, _failedToUpdate);
        }
        lock (_simulator.Gate)
        {
            _replacedOld[logicalId] = previous;
            _replacementNew[logicalId] = created;
            _stack.Resources[logicalId] = created;
        }
        var waited = WaitAsync(resource.Type, ct);
        ResourceEvent(logicalId, created.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS", "Resource creation Initiated");
        if (!await waited)
            return Failed(logicalId, created.PhysicalId, resource.Type, "UPDATE_FAILED", "Resource update cancelled", _failedToUpdate);
        if (failure is not null)
            return Failed(logicalId, created.PhysicalId, resource.Type, "UPDATE_FAILED", failure, _failedToUpdate);
        ResourceEvent(logicalId, created.PhysicalId, resource.Type, "UPDATE_COMPLETE", null);
        return true;
    }

    private async Task<bool> RevertResourceAsync(DeployedResource previous)
    {
        ResourceEvent(previous.LogicalId, previous.PhysicalId, previous.Type, "UPDATE_IN_PROGRESS", null);
        await _simulator.DelayAsync(ResourceCatalog.Duration(previous.Type), _simulator.ShutdownToken);
        lock (_simulator.Gate)
            _stack.Resources[previous.LogicalId] = previous;
        ResourceEvent(previous.LogicalId, previous.PhysicalId, previous.Type, "UPDATE_COMPLETE", null);
        return true;
    }

    /// <summary>
    /// Deletes resources, each once everything that depends on it (per the blueprint) is gone. With
    /// <paramref name="failDependedOn"/> (DeleteStack), a resource something outside depends on fails to delete, and
    /// what it depends on is left alone; false then.
    /// </summary>
    private Task<bool> DeleteAllAsync(
        IReadOnlyDictionary<string, DeployedResource> resources, StackBlueprint? blueprint, Func<string, bool> forget, bool failDependedOn = false) =>
        WalkAsync(
            resources.Keys.ToList(),
            id => resources.Keys.Where(other => blueprint?.ResourcesById.GetValueOrDefault(other)?.Dependencies.Contains(id) == true),
            async (id, _) =>
            {
                var resource = resources[id];
                ResourceEvent(id, resource.PhysicalId, resource.Type, "DELETE_IN_PROGRESS", null);
                await _simulator.DelayAsync(ResourceCatalog.Duration(resource.Type), _simulator.ShutdownToken);
                bool dependedOn;
                lock (_simulator.Gate)
                    dependedOn = failDependedOn && _stack.DependedOn.Contains(id);
                if (dependedOn)
                    return Failed(id, resource.PhysicalId, resource.Type, "DELETE_FAILED",
                        $"Resource handler returned message: \"resource {resource.PhysicalId} has a dependent object (Service: Ec2, Status Code: 400, " +
                        $"Request ID: {Guid.NewGuid()})\" (RequestToken: {Guid.NewGuid()}, HandlerErrorCode: InvalidRequest)", _failedToDelete);
                if (forget(id))
                    lock (_simulator.Gate)
                        _stack.Resources.Remove(id);
                ResourceEvent(id, resource.PhysicalId, resource.Type, "DELETE_COMPLETE", null);
                return true;
            },
            stopOnFailure: false);

    /// <summary>
    /// Runs <paramref name="step"/> for every node once all its prerequisites succeeded. With
    /// <paramref name="stopOnFailure"/>, a failed step interrupts the steps in flight and nothing new starts.
    /// </summary>
    private async Task<bool> WalkAsync(
        IReadOnlyList<string> nodes, Func<string, IEnumerable<string>> prerequisites,
        Func<string, CancellationToken, Task<bool>> step, bool stopOnFailure)
    {
        var token = stopOnFailure ? _interrupt.Token : _simulator.ShutdownToken;
        var outcomes = nodes.ToDictionary(n => n, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);

        async Task RunAsync(string node)
        {
            try
            {
                var ready = await Task.WhenAll(prerequisites(node).Where(outcomes.ContainsKey).Select(p => outcomes[p].Task));
                var succeeded = ready.All(r => r) && !token.IsCancellationRequested && await step(node, token);
                if (!succeeded && stopOnFailure)
                    await _interrupt.CancelAsync();
                outcomes[node].SetResult(succeeded);
            }
            catch (Exception e)
            {
                outcomes[node].SetException(e);
            }
        }

        foreach (var node in nodes)
            _ = RunAsync(node);
        var results = await Task.WhenAll(outcomes.Values.Select(o => o.Task));
        return results.All(r => r);
    }

    /// <summary>Waits out a resource's duration; false when interrupted (cancelled by a failure or CancelUpdateStack).</summary>
    private async Task<bool> WaitAsync(string type, CancellationToken ct)
    {
        try
        {
            await _simulator.DelayAsync(ResourceCatalog.Duration(type), ct);
            return true;
        }
        catch (OperationCanceledException) when (!_simulator.ShutdownToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The resource's properties as deployed, and the failure it is going to meet, if any.</summary>
    private (JsonObject Properties, string? Failure) Render(StackBlueprint blueprint, TemplateResource resource)
    {
        var resources = Snapshot();
        var evaluator = blueprint.Evaluator(resources);
        var properties = evaluator.Evaluate(resource.Properties) as JsonObject ?? [];
        return (properties, FailureInjection.Reason(resource, properties, blueprint, resources, evaluator));
    }

    private IReadOnlyList<StackOutput> Outputs(StackBlueprint blueprint)
    {
        var evaluator = blueprint.Evaluator(Snapshot());
        var outputs = new List<StackOutput>();
        foreach (var (key, node) in blueprint.Template.Outputs)
        {
            if (node is not JsonObject output || (output["Condition"]?.ToString() is { } condition && !evaluator.Condition(condition)))
                continue;
            try
            {
                outputs.Add(new StackOutput(key, evaluator.EvaluateString(output["Value"]), output["Description"]?.ToString(),
                    output["Export"]?["Name"] is { } export ? evaluator.EvaluateString(export) : null));
            }
            catch (CloudFormationError)
            {
                // An output whose value cannot be rendered as a string is left out rather than failing a healthy stack.
            }
        }
        return outputs;
    }

    private void Complete(SandboxChangeSet changeSet, StackConfiguration configuration, string execution)
    {
        lock (_simulator.Gate)
        {
            _stack.Configuration = configuration;
            changeSet.Execution = execution;
        }
    }

    private string FailureSummary()
    {
        lock (_simulator.Gate)
        {
            var parts = new List<string>();
            if (_failedToCreate.Count > 0)
                parts.Add($"The following resource(s) failed to create: [{string.Join(", ", _failedToCreate)}].");
            if (_failedToUpdate.Count > 0)
                parts.Add($"The following resource(s) failed to update: [{string.Join(", ", _failedToUpdate)}].");
            return string.Join(" ", parts);
        }
    }

    private bool Failed(string logicalId, string physicalId, string type, string status, string reason, List<string> failures)
    {
        lock (_simulator.Gate)
        {
            failures.Add(logicalId);
            ResourceEvent(logicalId, physicalId, type, status, reason);
        }
        return false;
    }

    private Dictionary<string, DeployedResource> Snapshot()
    {
        lock (_simulator.Gate)
            return new Dictionary<string, DeployedResource>(_stack.Resources, StringComparer.Ordinal);
    }

    private DeployedResource Resource(string logicalId)
    {
        lock (_simulator.Gate)
            return _stack.Resources[logicalId];
    }

    private void ResourceEvent(string logicalId, string physicalId, string type, string status, string? reason) =>
        _simulator.Emit(_stack, logicalId, physicalId, type, status, reason, _clientRequestToken);

    private void StackEvent(string status, string? reason) =>
        _simulator.Emit(_stack, _stack.Name, _stack.Id, SandboxStack.ResourceType, status, reason, _clientRequestToken);
}
