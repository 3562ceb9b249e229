using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Infra.Environments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Environments;

/// <summary>
/// One environment: status, facts, the last deployment (live while it runs, with the outputs), every revision with its approvals (and the
/// decision panel for the one awaiting approval), and the audit trail. The owner or an admin may change or destroy it.
/// It follows the jobs live: a job of this process (on PostgreSQL, of any process) announces changes on the
/// <see cref="StackEventFeed"/>, and a slow poll catches what a separate worker process saved without a notice.
/// </summary>
public partial class EnvironmentPage : IDisposable
{
    /// <summary>Each service kind's health from the health panel, which colours the map's services.</summary>
    private IReadOnlyDictionary<Portal.Infra.Architecture.ArchitectureNodeKind, bool>? _serviceHealth;
    private static readonly TimeSpan CatchUpInterval = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _disposed = new();
    private int _reloadQueued;
    private EnvironmentDetail? _detail;
    private Actor? _actor;
    private bool _mayChange;
    private bool _mayDestroy;
    private string? _notFound;
    private string? _refusal;
    private bool _confirmingDestroy;
    private string? _destroyConfirmation;

    /// <summary>The environment's name (from the route).</summary>
    [Parameter] public string Name { get; set; } = "";

    /// <summary>The newest revision that was approved: the deployment to show (queued, running or finished).</summary>
    private RevisionView? LastDeployment => _detail?.Revisions.FirstOrDefault(r =>
        r.Status is RevisionStatus.Approved or RevisionStatus.Deploying or RevisionStatus.Deployed or RevisionStatus.Failed);

    /// <summary>The spec deployed now (what reviewers compare a revision with); null before the first deploy.</summary>
    private EnvironmentSpec? DeployedSpec => _detail?.DeployedRevision?.Spec;

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private EnvironmentCommands Commands { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private StackEventFeed Feed { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        Feed.Changed += OnFeedChanged;
        _ = CatchUpAsync(_disposed.Token);
    }

    private void OnFeedChanged(string environment)
    {
        if (environment == Name) QueueReload();
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CatchUpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) QueueReload();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Coalesces bursts of notifications (a deploy sends many) into one reload at a time.</summary>
    private void QueueReload()
    {
        if (Interlocked.Exchange(ref _reloadQueued, 1) == 1 || _disposed.IsCancellationRequested) return;
        _ = InvokeAsync(async () =>
        {
            Interlocked.Exchange(ref _reloadQueued, 0);
            if (_disposed.IsCancellationRequested) return;
            await LoadAsync();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Feed.Changed -= OnFeedChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async Task LoadAsync()
    {
        try
        {
            _actor = await GetActorAsync();
            _detail = await Queries.GetAsync(Name, CancellationToken.None);
            // The commands' own rules: a button shows what its command would do.
            _mayChange = EnvironmentAccess.MayChange(_detail.Environment, _actor);
            _mayDestroy = EnvironmentAccess.MayDestroy(_detail.Environment, _actor);
            _notFound = null;
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            _notFound = e.Message;
        }
    }

    private async Task DestroyAsync()
    {
        try
        {
            var revision = await Commands.DestroyAsync(new RequestDestroy(Name), _actor!, CancellationToken.None);
            Snackbar.Add($"Destroy requested as revision {revision.Number}; it needs approval like any change.", Severity.Info);
            _confirmingDestroy = false;
            _destroyConfirmation = null;
        }
        catch (WorkflowException e)
        {
            _refusal = e.Message;
        }

        await LoadAsync();
    }
}
