using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Infra.Aws;
using Portal.Infra.Environments;
using Portal.Infra.ServiceHealth;
using Portal.Infra.Stacks;
using Portal.Jobs.Data;

namespace Portal.Jobs.ServiceHealth;

/// <summary>
/// Reads an environment's own ECS services (found among its stored stack events, nothing else in the account) with the
/// read-only diagnosis calls. A reading that cannot be made (no services yet, AWS not answering, the deadline) is null
/// and logged: it explains a deploy, it never fails one.
/// </summary>
public sealed class ServiceDiagnosisReader(
    IDbContextFactory<PortalDb> databases,
    IDiagnosticsClientFactory clients,
    TimeProvider time,
    IOptions<ServiceHealthOptions> options,
    ILogger<ServiceDiagnosisReader> logger)
{
    private static readonly string[] LocatingTypes = ["AWS::ECS::Service", "AWS::ECS::Cluster", "AWS::Logs::LogGroup"];

    public async Task<ServiceDiagnosis?> ReadAsync(int environmentId, string target, EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var services = await LocateAsync(environmentId, spec, cancellationToken);
        if (services.Count == 0)
            return null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ReadTimeout);
        try
        {
            return await ServiceReader.ReadAsync(clients.For(target), services, time, deadline.Token);
        }
        catch (Exception e) when (e is AwsServiceException or HttpRequestException or TimeoutException
                                   || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Reading the services of environment {EnvironmentId} failed: {Message}", environmentId, e.Message);
            return null;
        }
    }

    /// <summary>The services its stack made, by the newest physical ids its stored events name.</summary>
    private async Task<IReadOnlyList<ServiceLocation>> LocateAsync(int environmentId, EnvironmentSpec spec, CancellationToken ct)
    {
        await using var db = await databases.CreateDbContextAsync(ct);
        var events = await db.StackEvents
            .Where(e => e.EnvironmentId == environmentId && LocatingTypes.Contains(e.ResourceType) && e.PhysicalResourceId != null && e.PhysicalResourceId != "")
            .OrderBy(e => e.Id)
            .Select(e => new { e.LogicalResourceId, e.ResourceType, e.PhysicalResourceId })
            .AsNoTracking().ToListAsync(ct);
        var resources = ServiceLocation.FromEvents(events.Select(e => (e.LogicalResourceId, e.ResourceType, e.PhysicalResourceId)));
        return ServiceLocation.Find(resources, component =>
            component == EnvironmentService.Frontend.Component ? spec.Frontend.HealthCheckPath : spec.Backend.HealthCheckPath);
    }
}
