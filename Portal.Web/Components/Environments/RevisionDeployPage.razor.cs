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
    private readonly CancellationTokenSource disposed = new();
    private EnvironmentDetail? detail;
    private RevisionView? revision;
    private Actor? actor;
    private string? notFound;

    /// <summary>The environment's name (from the route).</summary>
    [Parameter] public string Name { get; set; } = "";

    /// <summary>The revision's number within it (from the route).</summary>
    [Parameter] public int Number { get; set; }

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private StackEventFeed Feed { get; set; } = default!;

    private bool IsLive => revision?.Status is RevisionStatus.Approved or RevisionStatus.Deploying;

    /// <summary>The newest revision deployed after this one, if any.</summary>
    private RevisionView? LaterDeploy => detail?.Revisions.FirstOrDefault(r => r.Number > Number && r.DeployStartedAt is not null);

    /// <summary>The stack outputs belong to the deployed revision: another revision's would be shown as if they were its own.</summary>
    private IReadOnlyDictionary<string, string> Outputs =>
        detail is not null && detail.Environment.DeployedRevisionNumber == Number ? detail.Outputs : new Dictionary<string, string>();

    protected override Task OnParametersSetAsync() => LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && IsLive) _ = FollowAsync(disposed.Token);
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
            actor = await GetActorAsync();
            detail = await Queries.GetAsync(Name, CancellationToken.None);
            revision = detail.Revisions.FirstOrDefault(r => r.Number == Number);
            notFound = revision is null ? $"{Name} has no revision {Number}." : null;
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            notFound = e.Message;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
