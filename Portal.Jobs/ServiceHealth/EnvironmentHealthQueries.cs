using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Infra.ServiceHealth;
using Portal.Jobs.Data;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.ServiceHealth;

/// <summary>
/// "Is it healthy": the health panel's and <c>GET /api/environments/{name}/health</c>'s one query. A deployed environment
/// is read from AWS (its stack first, so a stack deleted outside the portal is said plainly and recorded); readings are
/// shared by every caller on this instance for <see cref="ServiceHealthOptions.HealthCacheDuration"/>.
/// </summary>
public sealed class EnvironmentHealthQueries(
    IDbContextFactory<PortalDb> databases,
    ICloudFormationFactory cloudFormation,
    ServiceDiagnosisReader reader,
    EnvironmentHealthCache cache,
    TimeProvider time)
{
    public async Task<EnvironmentHealth> ReadAsync(string environmentName, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var environment = await db.Environments.AsNoTracking().SingleOrDefaultAsync(e => e.Name == environmentName, cancellationToken)
            ?? throw WorkflowException.NotFound($"there is no environment named '{environmentName}'");
        switch (environment.Status)
        {
            case EnvironmentStatus.Deploying or EnvironmentStatus.Destroying:
                return new EnvironmentHealth(environment.Name, EnvironmentHealthState.Deploying,
                    await DiagnosisAsync(environment.Name, environment.CurrentRevisionNumber, cancellationToken), null);
            // A failed update leaves the revision deployed before it standing (rolled back, or stuck half way): read it.
            case not EnvironmentStatus.Deployed when environment.DeployedRevisionNumber is null || environment.Status != EnvironmentStatus.Failed:
                return new EnvironmentHealth(environment.Name, EnvironmentHealthState.NotDeployed, null, null);
        }
        if (environment.StackMissingSince is { } since)
            return new EnvironmentHealth(environment.Name, EnvironmentHealthState.StackMissing, null, since);
        return await cache.GetAsync(environment.Name, environment.Version, () => ReadDeployedAsync(environment, cancellationToken));
    }

    /// <summary>
    /// The last reading its deploy stored with revision <paramref name="revisionNumber"/>: what a page opened after the
    /// deploy, and the API, show of it. Null when none was stored (a destroy, or no service was made).
    /// </summary>
    public async Task<ServiceDiagnosis?> DiagnosisAsync(string environmentName, int revisionNumber, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var json = await db.Revisions.Where(r => r.Environment.Name == environmentName && r.Number == revisionNumber)
            .Select(r => r.DiagnosisJson).SingleOrDefaultAsync(cancellationToken);
        return ServiceDiagnosis.FromJson(json);
    }

    private async Task<EnvironmentHealth> ReadDeployedAsync(ManagedEnvironment environment, CancellationToken ct)
    {
        try
        {
            if (await ChangeSets.DescribeAsync(cloudFormation.For(environment.Target), environment.StackName, ct) is null)
                return await StackMissingAsync(environment, ct);
        }
        catch (Exception e) when (e is CloudFormationException or HttpRequestException or TimeoutException)
        {
            return new EnvironmentHealth(environment.Name, EnvironmentHealthState.Unavailable, null, null);
        }
        var spec = await DeployedSpecAsync(environment, ct);
        var diagnosis = spec is null ? null : await reader.ReadAsync(environment.Id, environment.Target, spec, ct);
        return diagnosis is null
            ? new EnvironmentHealth(environment.Name, EnvironmentHealthState.Unavailable, null, null)
            : new EnvironmentHealth(environment.Name, diagnosis.IsHealthy ? EnvironmentHealthState.Healthy : EnvironmentHealthState.Unhealthy, diagnosis, null);
    }

    /// <summary>Recorded on the environment (audited once) so its status and the drift report say it too.</summary>
    private async Task<EnvironmentHealth> StackMissingAsync(ManagedEnvironment environment, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(ct);
        await db.WriteAsync(async () =>
        {
            var tracked = await db.Environments.SingleAsync(e => e.Id == environment.Id, ct);
            if (tracked.ReportStackMissing(now))
            {
                await db.SaveChangesAsync(ct);
                await db.AnnounceAsync(tracked.Name, ct);
            }
            return tracked;
        }, ct);
        // As stored (PostgreSQL keeps microseconds), and the first finding's time when another reading recorded it first.
        var since = await db.Environments.AsNoTracking().Where(e => e.Id == environment.Id).Select(e => e.StackMissingSince).SingleAsync(ct);
        return new EnvironmentHealth(environment.Name, EnvironmentHealthState.StackMissing, null, since ?? now);
    }

    private async Task<Infra.Environments.EnvironmentSpec?> DeployedSpecAsync(ManagedEnvironment environment, CancellationToken ct)
    {
        await using var db = await databases.CreateDbContextAsync(ct);
        var json = await db.Revisions.Where(r => r.EnvironmentId == environment.Id && r.Number == environment.DeployedRevisionNumber)
            .Select(r => r.SpecJson).SingleOrDefaultAsync(ct);
        return json is null ? null : SpecJson.Parse(json);
    }
}

/// <summary>
/// Health readings per environment for <see cref="ServiceHealthOptions.HealthCacheDuration"/>, one reading at a time per
/// environment (callers arriving meanwhile share it). A new environment version (a deploy, a stack found missing) reads anew.
/// </summary>
public sealed class EnvironmentHealthCache(TimeProvider time, IOptions<ServiceHealthOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<EnvironmentHealth> GetAsync(string environment, int version, Func<Task<EnvironmentHealth>> read)
    {
        var now = time.GetUtcNow();
        var entry = _entries.AddOrUpdate(environment,
            _ => new Entry(version, now, new Lazy<Task<EnvironmentHealth>>(read)),
            (_, old) => old.Version == version && now - old.At < options.Value.HealthCacheDuration && !(old.Reading.IsValueCreated && old.Reading.Value.IsCompleted && !old.Reading.Value.IsCompletedSuccessfully)
                ? old
                : new Entry(version, now, new Lazy<Task<EnvironmentHealth>>(read)));
        return await entry.Reading.Value;
    }

    private sealed record Entry(int Version, DateTimeOffset At, Lazy<Task<EnvironmentHealth>> Reading);
}
