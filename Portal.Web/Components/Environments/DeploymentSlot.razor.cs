using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Portal.Infra.Architecture;
using Portal.Infra.Targets;
using Portal.Jobs.Deployments;
using Portal.Jobs.Deployments.Eta;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.ServiceHealth;
using Portal.Infra.ServiceHealth;
using Portal.Jobs.StackEvents;
using Portal.Jobs.Workflow;
using Portal.Web.Components.Deployments;

namespace Portal.Web.Components.Environments;

/// <summary>
/// The live deploy view of one revision: "settled / total resources", elapsed time, the stack events newest first as
/// they arrive, the resources by the environment's parts with their latest status, the root cause at the top when it failed,
/// the public URL and outputs when it succeeded, and (for the owner or an admin) Cancel while an update deploys.
/// The architecture map (from the revision's stored template) colours with the same events; choosing a part filters them.
/// It reads the revision's stored events (all of them when opened mid-deploy), then follows: woken by the
/// <see cref="StackEventFeed"/> when a job of this process saved events (or, on PostgreSQL, another process's job:
/// <see cref="LiveNotificationListener"/>), and re-reading the database after the last event id every
/// <see cref="LiveEventsOptions.CatchUpInterval"/> in case no notice came. The revision's status and its retrying notice
/// come from the page, which reloads on the same signals.
/// </summary>
public sealed partial class DeploymentSlot : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private LiveDeployment _live = default!;
    private int _loadedRevisionId;
    private RevisionStatus? _loadedStatus;
    private bool _showDetails;
    private bool _cancelRequested;
    private string? _refusal;
    private DeployHistory _history = DeployHistory.Empty;
    private string? _templateJson;
    private ArchitectureNode? _mapNode;
    private ServiceDiagnosis? _diagnosis;
    private DateTimeOffset _diagnosisReadAt;

    /// <summary>The environment being deployed.</summary>
    [Parameter, EditorRequired] public EnvironmentSummary Environment { get; set; } = default!;

    /// <summary>The revision whose deployment to show: the newest that was approved (queued, deploying or finished).</summary>
    [Parameter, EditorRequired] public RevisionView Revision { get; set; } = default!;

    /// <summary>The environment's stack outputs (the last successful deploy's); the public URL is <c>PublicUrl</c>.</summary>
    [Parameter] public IReadOnlyDictionary<string, string> Outputs { get; set; } = new Dictionary<string, string>();

    /// <summary>The signed-in user (who cancels).</summary>
    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    /// <summary>Whether it offers Cancel while an update deploys (the environment's page); a revision's own page only shows.</summary>
    [Parameter] public bool OffersCancel { get; set; }

    /// <summary>Whether its resources and events start open (the revision's own page); otherwise only a deploy not done well opens them.</summary>
    [Parameter] public bool DetailsOpen { get; set; }

    /// <summary>The environment's health per service kind (the page's health reading), which colours the map's services; null: not read.</summary>
    [Parameter] public IReadOnlyDictionary<ArchitectureNodeKind, bool>? ServiceHealth { get; set; }

    /// <summary>Raised after a cancel was requested here, so the page reloads.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private StackEventQueries Events { get; set; } = default!;
    [Inject] private EnvironmentQueries Environments { get; set; } = default!;
    [Inject] private StackEventFeed Feed { get; set; } = default!;
    [Inject] private IOptions<LiveEventsOptions> LiveEvents { get; set; } = default!;
    [Inject] private DeploymentCommands Deployments { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private DeployEtaQueries EtaQueries { get; set; } = default!;
    [Inject] private EnvironmentHealthQueries HealthQueries { get; set; } = default!;
    [Inject] private IOptions<ServiceHealthOptions> HealthOptions { get; set; } = default!;
    [Inject] private IOptions<TargetOptions> Targets { get; set; } = default!;

    /// <summary>The target's stack events arrive by push (its intake queue); otherwise polling alone brings them, later.</summary>
    private bool HasIntake => Targets.Value.TryGetValue(Environment.Target, out var target) && !string.IsNullOrWhiteSpace(target.StackEventQueueUrl);

    /// <summary>Queued or deploying: events may still arrive.</summary>
    private bool IsLive => Revision.Status is RevisionStatus.Approved or RevisionStatus.Deploying;

    private FailureReason? Failure => Revision.Status == RevisionStatus.Failed ? FailureReason.Parse(Revision.StatusReason, Revision.Cause) : null;

    private string? PublicUrl => Outputs.TryGetValue("PublicUrl", out var url) && Uri.TryCreate(url, UriKind.Absolute, out _) ? url : null;

    /// <summary>The job's notice that CloudFormation does not answer, as stored on the revision (whichever process runs the job).</summary>
    private RetryNotice? Retrying => Revision.Status == RevisionStatus.Deploying ? Revision.Retrying : null;

    /// <summary>Cancel here rolls back a deploying update (the owner or an admin); withdrawing is on the revision's card.</summary>
    private bool MayCancelNow => OffersCancel && CancelRules.EffectFor(Environment, Revision, Actor) == CancelEffect.RollBack;

    private TimeSpan? Elapsed => Revision.DeployStartedAt is { } started
        ? (Revision.FinishedAt ?? DateTimeOffset.UtcNow) - started
        : null;

    private int Percent => _live.Total == 0 ? (IsLive ? 0 : 100) : _live.Settled * 100 / _live.Total;

    private string Title => (Revision.Kind, Revision.Status) switch
    {
        (RevisionKind.Destroy, RevisionStatus.Approved) => $"Destroy (revision {Revision.Number}) approved, waiting to start",
        (RevisionKind.Destroy, RevisionStatus.Deploying) => "Destroying the stack",
        (RevisionKind.Destroy, RevisionStatus.Deployed) => "Stack destroyed",
        (RevisionKind.Destroy, _) => "Destroy failed",
        (_, RevisionStatus.Approved) => $"Revision {Revision.Number} approved, waiting to deploy",
        (_, RevisionStatus.Deploying) => $"Deploying revision {Revision.Number}",
        (_, RevisionStatus.Deployed) => $"Revision {Revision.Number} deployed",
        _ => $"Revision {Revision.Number} failed",
    };

    /// <summary>What the live region says: the quarter of resources settled while it deploys, then the result.</summary>
    private string Announcement => Revision.Status switch
    {
        RevisionStatus.Deploying => $"{Title}: {Percent / 25 * 25}% of resources settled.",
        RevisionStatus.Failed => $"{Title}. {Revision.Cause ?? Failure?.Cause}",
        RevisionStatus.Deployed => $"{Title}.",
        _ => "",
    };

    private Color ProgressColor => Revision.Status switch
    {
        RevisionStatus.Failed => Color.Error,
        RevisionStatus.Deployed => Color.Success,
        _ => Color.Info,
    };

    /// <summary>
    /// Reads a revision's stored events before the view renders it. ComponentBase renders while OnParametersSetAsync is
    /// still awaiting, so a view reset there showed "Stack events (0)" and "No events yet." until the read finished: a page
    /// opened mid-deploy (whose circuit re-renders the prerendered page) briefly lacked every event already stored.
    /// Loading here, before the base class sees the parameters, means the first render already holds them; a new
    /// revision is read into a view of its own and swapped in whole.
    /// </summary>
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        await LoadAsync(_disposed.Token);
        await base.SetParametersAsync(ParameterView.Empty);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Revision.Id != _loadedRevisionId)
        {
            var fresh = new LiveDeployment(Environment.StackName, RevisionPlan.FromJson(Revision.PlanJson));
            var freshHistory = IsLive ? await EtaQueries.HistoryAsync(Environment.Target, cancellationToken) : DeployHistory.Empty;
            var freshTemplate = await Environments.TemplateJsonAsync(Revision.Id, cancellationToken);
            await ReadNewEventsAsync(fresh, cancellationToken);
            _diagnosis = null;
            _diagnosisReadAt = default;
            _live = fresh;
            _history = freshHistory;
            _templateJson = freshTemplate;
            _loadedRevisionId = Revision.Id;
            _loadedStatus = Revision.Status;
            // A deployment that went well folds away; one in flight or failed is what the reader came for.
            _showDetails = DetailsOpen || Revision.Status != RevisionStatus.Deployed;
            _cancelRequested = false;
            _refusal = null;
            _mapNode = null;
            await ReadDiagnosisAsync(cancellationToken);
        }
        else if (Revision.Status != _loadedStatus)
        {
            // A new status: the job stored its last events before it moved the revision on.
            _loadedStatus = Revision.Status;
            await ReadNewEventsAsync(_live, cancellationToken);
            await ReadDiagnosisAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The services' reading the deploy job stored with the revision (it reads them every
    /// <see cref="ServiceHealthOptions.DeployReadInterval"/> while deploying, and once more when it fails).
    /// </summary>
    private async Task ReadDiagnosisAsync(CancellationToken cancellationToken)
    {
        if (Revision.Kind == RevisionKind.Destroy || Revision.Status is not (RevisionStatus.Deploying or RevisionStatus.Failed or RevisionStatus.Deployed))
            return;
        _diagnosisReadAt = DateTimeOffset.UtcNow;
        _diagnosis = await HealthQueries.DiagnosisAsync(Environment.Name, Revision.Number, cancellationToken);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _ = FollowAsync(_disposed.Token);
    }

    /// <summary>Wakes on the feed or after the catch-up interval, and reads what is new while the deployment is live.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var subscription = new StackEventSubscription(Feed, Environment.Name);
        try
        {
            while (true)
            {
                await subscription.WaitAsync(LiveEvents.Value.CatchUpInterval, cancellationToken);
                await InvokeAsync(async () =>
                {
                    if (!IsLive) return;
                    await ReadNewEventsAsync(_live, cancellationToken);
                    // Half the job's interval: a reading it stored shows within one and a half intervals at most.
                    if (DateTimeOffset.UtcNow - _diagnosisReadAt >= HealthOptions.Value.DeployReadInterval / 2)
                        await ReadDiagnosisAsync(cancellationToken);
                    StateHasChanged(); // the elapsed time and the job's notices move on even without events
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Every event of the revision after the last one <paramref name="target"/> holds, page by page.</summary>
    private async Task ReadNewEventsAsync(LiveDeployment target, CancellationToken cancellationToken)
    {
        IReadOnlyList<StackEventView> page;
        do
        {
            page = await Events.AfterAsync(Environment.Name, Revision.Number, target.LastId, StackEventQueries.MaxPage, cancellationToken);
            target.Add(page);
        }
        while (page.Count == StackEventQueries.MaxPage);
    }

    /// <summary>The events of the part chosen on the architecture map, or all of them.</summary>
    private ICollection<StackEventView> ShownEvents => _mapNode is { } node
        ? [.. _live.Events.Where(e => node.Resources.Contains(e.LogicalResourceId))]
        : _live.Events;

    /// <summary>A part chosen on the map filters the events (shown, so the reader sees them); null clears it.</summary>
    private void SelectNode(ArchitectureNode? node)
    {
        _mapNode = node;
        if (node is not null) _showDetails = true;
    }

    private async Task CancelAsync()
    {
        _refusal = null;
        _cancelRequested = true;
        try
        {
            await Deployments.CancelAsync(new CancelRevision(Revision.Id), Actor, CancellationToken.None);
            Snackbar.Add($"Cancel requested: CloudFormation rolls revision {Revision.Number} back.", Severity.Info);
            await Changed.InvokeAsync();
        }
        catch (WorkflowException e)
        {
            _refusal = e.Message;
            _cancelRequested = false;
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
