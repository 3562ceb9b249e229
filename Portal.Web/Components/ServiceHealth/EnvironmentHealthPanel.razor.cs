using Microsoft.AspNetCore.Components;
using Portal.Infra.Architecture;
using Portal.Jobs.Environments;
using Portal.Jobs.ServiceHealth;

namespace Portal.Web.Components.ServiceHealth;

/// <summary>
/// "Is it healthy": the environment's health (<see cref="EnvironmentHealthQueries"/>), read when the page opens and every
/// <see cref="RefreshInterval"/> while it stays open, or on Refresh. Tells the page each service's health so the
/// architecture map colours it. A stack deleted outside the portal is said plainly.
/// </summary>
public sealed partial class EnvironmentHealthPanel : IDisposable
{
    /// <summary>How often an open page reads the health again (readings are shared per environment for a few seconds).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _disposed = new();
    private EnvironmentHealth? _health;
    private string? _readFor;

    /// <summary>The environment whose health to show.</summary>
    [Parameter, EditorRequired] public EnvironmentSummary Environment { get; set; } = default!;

    /// <summary>Raised after each reading with each service kind's health (empty when none was read), for the map.</summary>
    [Parameter] public EventCallback<IReadOnlyDictionary<ArchitectureNodeKind, bool>> HealthRead { get; set; }

    [Inject] private EnvironmentHealthQueries Queries { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // Read again when the environment changed (a deploy ended, the stack went missing); the timer keeps it fresh between.
        var key = $"{Environment.Name}:{Environment.Status}:{Environment.DeployedRevisionNumber}:{Environment.StackMissingSince}";
        if (key == _readFor) return;
        _readFor = key;
        await ReadAsync(_disposed.Token);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _ = RefreshEveryIntervalAsync(_disposed.Token);
    }

    private Task RefreshAsync() => ReadAsync(_disposed.Token);

    private async Task RefreshEveryIntervalAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await InvokeAsync(async () =>
                {
                    await ReadAsync(cancellationToken);
                    StateHasChanged();
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        _health = await Queries.ReadAsync(Environment.Name, cancellationToken);
        var byKind = new Dictionary<ArchitectureNodeKind, bool>();
        if (_health.State is EnvironmentHealthState.Healthy or EnvironmentHealthState.Unhealthy)
            foreach (var service in _health.Diagnosis?.Services ?? [])
                byKind[service.Component == Infra.Stacks.EnvironmentService.Frontend.Component ? ArchitectureNodeKind.FrontendService : ArchitectureNodeKind.BackendService] = service.IsHealthy;
        await HealthRead.InvokeAsync(byKind);
    }

    private static string Tone(EnvironmentHealthState state) => state switch
    {
        EnvironmentHealthState.Healthy => "portal-tone-done",
        EnvironmentHealthState.Unhealthy or EnvironmentHealthState.StackMissing => "portal-tone-failed",
        EnvironmentHealthState.Deploying => "portal-tone-working",
        _ => "portal-tone-neutral",
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
