using Microsoft.AspNetCore.Components;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;

namespace Portal.Web.Components.Environments;

/// <summary>
/// One revision's deploy on a page of its own, read-only: its architecture map (from the template stored with it), its
/// stack events with the map's filter, its status and (while it is the deployed revision) the stack outputs; the
/// same <see cref="DeploymentSlot"/> the environment page shows for its latest deploy. So a deploy that a later one
/// replaced can still be looked at. A finished deploy is read once; one still queued or running is followed until it ends.
/// </summary>
public partial class RevisionDeployPage : IDisposable
{
    private static readonly TimeSpan CatchUpInterval = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _disposed = new();
    private EnvironmentDetail? _detail;
    private RevisionView? _revision;
    private Actor? _actor;
    private string? _notFound;

    /// <summary>The environment's name (from the route).</summary>
    [Parameter] public string Name { get; set; } = "";

    /// <summary>The revision's number within it (from the route).</summary>
    [Parameter] public int Number { get; set; }

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private StackEventFeed Feed { get; set; } = default!;

    private bool IsLive => _revision?.Status is RevisionStatus.Approved or RevisionStatus.Deploying;

    /// <summary>The newest revision deployed after this one, if any.</summary>
    private RevisionView? LaterDeploy => _detail?.Revisions.FirstOrDefault(r => r.Number > Number && r.DeployStartedAt is not null);

    /// <summary>The stack outputs belong to the deployed revision: another revision's would be shown as if they were its own.</summary>
    private IReadOnlyDictionary<string, string> Outputs =>
        _detail is not null && _detail.Environment.DeployedRevisionNumber == Number ? _detail.Outputs : new Dictionary<string, string>();

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && IsLive) _ = FollowAsync(_disposed.Token);
    }

    /// <summary>While the deploy runs, re-reads its status on the feed or every two seconds; stops once it finished.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var subscription = new StackEventSubscription(Feed, Name);
        try
        {
            while (IsLive)
            {
                await subscription.WaitAsync(CatchUpInterval, cancellationToken);
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _actor = await GetActorAsync();
            _detail = await Queries.GetAsync(Name, CancellationToken.None);
            _revision = _detail.Revisions.FirstOrDefault(r => r.Number == Number);
            _notFound = _revision is null ? $"{Name} has no revision {Number}." : null;
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            _notFound = e.Message;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
