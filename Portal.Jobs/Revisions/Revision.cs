using Portal.Jobs.Environments;
using Portal.Jobs.Approvals;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Revisions;

/// <summary>
/// One requested change to an environment: its full spec, its kind, and where it is in the workflow.
/// State changes only through <see cref="TransitionTo"/>, <see cref="RecordPlan"/> and <see cref="Decide"/>;
/// each one is audited (through <see cref="Environment"/>) and bumps <see cref="Version"/>, the concurrency token.
/// </summary>
public sealed class Revision
{
    private readonly List<Approval> _approvals = [];
    private Revision()
    {
    }

    internal Revision(
        ManagedEnvironment environment, int number, RevisionKind kind, string specJson, Person requestedBy,
        IEnumerable<Person> editedBy, int requiredApprovals)
    {
        Environment = environment;
        Number = number;
        Kind = kind;
        SpecJson = specJson;
        RequestedBy = requestedBy;
        EditedBy = [.. editedBy];
        RequiredApprovals = requiredApprovals;
        Status = RevisionStatus.Submitted;
        StatusChangedBy = requestedBy;
        SubmittedAt = StatusChangedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }

    public int EnvironmentId { get; private set; }

    /// <summary>Load it with the revision (Include) before changing the revision: transitions update the environment.</summary>
    public ManagedEnvironment Environment { get; private set; } = null!;

    /// <summary>1, 2, 3… within its environment (the API's <c>/revisions/{n}</c>).</summary>
    public int Number { get; private set; }

    public RevisionKind Kind { get; private set; }

    /// <summary>The whole EnvironmentSpec as camelCase JSON (see <see cref="Revisions.SpecJson"/>).</summary>
    public string SpecJson { get; private set; } = "";

    public RevisionStatus Status { get; private set; }

    /// <summary>Why it is in its status: the rejection comment, the plan failure, "superseded by revision 3"…</summary>
    public string? StatusReason { get; private set; }

    public Person StatusChangedBy { get; private set; } = null!;

    public Person RequestedBy { get; private set; } = null!;

    /// <summary>
    /// Others who authored this change: the requesters and editors of the open revisions it superseded (an edit starts
    /// from the spec it replaces), and of earlier revisions whose content it carries (<see cref="Authorship"/>).
    /// Neither they nor <see cref="RequestedBy"/> may approve it.
    /// </summary>
    public IReadOnlyList<Person> EditedBy { get; private set; } = [];

    /// <summary>The target's policy when the revision was submitted, refreshed at every decision.</summary>
    public int RequiredApprovals { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    public DateTimeOffset StatusChangedAt { get; private set; }

    public DateTimeOffset? DeployStartedAt { get; private set; }

    /// <summary>When it reached a status it cannot leave.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>How long the deploy ETA expected it to take when it started (null when nothing was predictable).</summary>
    public TimeSpan? PredictedDuration { get; private set; }

    /// <summary>The CloudFormation change set the plan made; approvals bind to it. Null until plans exist.</summary>
    public string? ChangeSetId { get; private set; }

    public string? ChangeSetName { get; private set; }

    /// <summary>The plan's changes and guardrail result as JSON, for reviewers (the plan job fills it).</summary>
    public string? PlanJson { get; private set; }

    /// <summary>
    /// The CloudFormation template the plan synthesized (minified JSON, at most 51,200 bytes), kept so the architecture
    /// map of any past deploy can be drawn. Null until planned, and for revisions planned before it was stored.
    /// </summary>
    public string? TemplateJson { get; private set; }

    /// <summary>
    /// Since when its deploy's watcher gets no answer from CloudFormation and keeps retrying (null while it answers).
    /// Stored, not kept in the job's memory, so a page on any web instance shows it whichever process runs the job.
    /// </summary>
    public DateTimeOffset? RetryingSince { get; private set; }

    /// <summary>Why the watcher is retrying (the failed poll's message) while <see cref="RetryingSince"/> is set.</summary>
    public string? RetryingReason { get; private set; }

    /// <summary>
    /// What ECS, the load balancer and CloudWatch Logs said of its services during its deploy, newest reading only
    /// (<see cref="Portal.Infra.ServiceHealth.ServiceDiagnosis"/> as JSON, at most 256 KB). Null before its deploy read any.
    /// </summary>
    public string? DiagnosisJson { get; private set; }

    /// <summary>The real cause of its failed deploy, when the diagnosis told one ("backend: image … not found (…)").</summary>
    public string? DiagnosedCause { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<Approval> Approvals => _approvals;

    /// <summary>
    /// Moves to <paramref name="to"/> if the transition table allows it (and, for Approved and Rejected, the decisions
    /// recorded justify it); otherwise throws <see cref="IllegalTransitionException"/> and changes nothing.
    /// </summary>
    public void TransitionTo(RevisionStatus to, Person by, string? reason = null) => Transition(to, by, reason, byPolicy: false);

    /// <summary>
    /// Ends a deploy that did not succeed: the revision is Failed with <paramref name="reason"/>. The stack's final
    /// status (null when CloudFormation never ran the operation) tells the environment whether it still serves its
    /// deployed revision, as it does after an update that rolled back.
    /// </summary>
    public void FailDeploy(Person by, string reason, string? finalStackStatus) =>
        Transition(RevisionStatus.Failed, by, reason, byPolicy: false, finalStackStatus);

    /// <summary>
    /// Stores the newest reading of its services (<see cref="DiagnosisJson"/>) while it deploys, and with it the real
    /// cause when one is told. A failed deploy takes its last reading before it is Failed, so the cause is in its reason.
    /// </summary>
    public void RecordDiagnosis(string diagnosisJson, string? cause)
    {
        if (Status != RevisionStatus.Deploying)
        {
            throw WorkflowException.Conflict($"revision {Number} is {Status}; its services are read only while it deploys");
        }

        DiagnosisJson = diagnosisJson;
        DiagnosedCause = cause;
        Version++;
    }

    /// <summary>
    /// Approves without approvers because the target's policy says so (an expiry destroy on a target whose
    /// <c>Expiry:AutoApprove</c> is on); audited under <paramref name="policy"/>. Only while awaiting approval.
    /// </summary>
    public void ApproveByPolicy(Person policy, string reason)
    {
        if (Status != RevisionStatus.AwaitingApproval)
        {
            throw new IllegalTransitionException(Number, Status, RevisionStatus.Approved, "only a revision awaiting approval is approved by policy");
        }

        Environment.Audit(policy, "Approved by policy", Number, reason);
        Transition(RevisionStatus.Approved, policy, reason, byPolicy: true);
    }

    private void Transition(RevisionStatus to, Person by, string? reason, bool byPolicy, string? finalStackStatus = null)
    {
        var from = Status;
        if (!RevisionTransitions.IsAllowed(from, to))
        {
            throw new IllegalTransitionException(Number, from, to);
        }

        if (to == RevisionStatus.Approved && !byPolicy && ApprovalPolicy.CountApprovals(this) is var count && count < RequiredApprovals)
        {
            throw new IllegalTransitionException(Number, from, to, $"it has {count} of {RequiredApprovals} required approvals");
        }

        if (to == RevisionStatus.Rejected && !_approvals.Any(a => a.Decision == ApprovalDecision.Rejected && a.ChangeSetId == ChangeSetId))
        {
            throw new IllegalTransitionException(Number, from, to, "nobody rejected it");
        }

        if (RevisionTransitions.NeedsReason(to) && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException($"Moving revision {Number} to {to} needs a reason.", nameof(reason));
        }

        var now = DateTimeOffset.UtcNow;
        Status = to;
        StatusReason = reason;
        StatusChangedBy = by;
        StatusChangedAt = now;
        if (to == RevisionStatus.Deploying)
        {
            DeployStartedAt = now;
        }

        if (to == RevisionStatus.Deployed)
        {
            DiagnosedCause = null; // a task that failed during a deploy that then succeeded caused nothing
        }

        if (to == RevisionStatus.Planning)
        {
            // A new plan means a new change set: earlier approvals were for the old one, which nothing will execute now.
            if (ChangeSetName is not null)
            {
                Environment.CleanUp(this, deleteReviewStack: false);
            }

            ChangeSetId = ChangeSetName = PlanJson = TemplateJson = null;
        }

        if (!RevisionTransitions.IsOpen(to))
        {
            FinishedAt = now;
        }

        // Nothing will execute this plan's change set any more (PlanFailed only leads to an end, and asked already).
        // Deployed executed it (or, with no changes, says so itself: DeployWithoutChanges).
        if (ChangeSetName is not null && from != RevisionStatus.PlanFailed
            && (to == RevisionStatus.PlanFailed || (!RevisionTransitions.IsOpen(to) && to != RevisionStatus.Deployed)))
        {
            Environment.CleanUp(this, deleteReviewStack: Kind == RevisionKind.Create);
        }

        // Only a running deploy retries: whatever ends it ends the notice, in the same save.
        RetryingSince = null;
        RetryingReason = null;
        Version++;
        if (to == RevisionStatus.Planning && Kind != RevisionKind.Destroy)
        {
            // Named before the plan job asks CloudFormation for it, so that whatever ends this revision, at any point of
            // the plan, knows what to clean up (the plan job uses this name; Deployments.DeploymentNames).
            ChangeSetName = Deployments.DeploymentNames.ChangeSet(Number, Id, Version);
        }

        Environment.OnRevisionTransition(this, from, by, finalStackStatus);
    }

    /// <summary>
    /// Ends a deploy that had nothing to execute (the plan found no changes): Deployed, and its empty change set, which
    /// CloudFormation keeps as FAILED, is cleaned up.
    /// </summary>
    public void DeployWithoutChanges(Person by)
    {
        Transition(RevisionStatus.Deployed, by, "no changes to deploy", byPolicy: false);
        if (ChangeSetName is not null)
        {
            Environment.CleanUp(this, deleteReviewStack: false);
        }
    }

    /// <summary>
    /// The plan job made its change set after this revision ended (withdrawn or superseded while it planned): cleaned up
    /// again, now by its id, in case the cleanup ran before the change set existed.
    /// </summary>
    public void ChangeSetMadeAfterEnd(string? changeSetId)
    {
        if (RevisionTransitions.IsOpen(Status) || ChangeSetName is null)
        {
            throw WorkflowException.Conflict($"revision {Number} is {Status}; only an ended plan's change set is cleaned up this way");
        }

        Environment.CleanUp(this, deleteReviewStack: Kind == RevisionKind.Create, changeSetId ?? ChangeSetId);
    }

    /// <summary>Stores the plan's change set while Planning; the plan job then moves to AwaitingApproval.</summary>
    public void RecordPlan(string? changeSetId, string? changeSetName, string? planJson, string? templateJson = null)
    {
        if (Status != RevisionStatus.Planning)
        {
            throw WorkflowException.Conflict($"revision {Number} is {Status}; a plan is recorded only while Planning");
        }

        ChangeSetId = changeSetId;
        ChangeSetName = changeSetName;
        PlanJson = planJson;
        TemplateJson = templateJson;
        Version++;
    }

    /// <summary>Stores the ETA made at the start of its deploy, once: a resumed deploy keeps the first prediction.</summary>
    public void RecordPrediction(TimeSpan predicted)
    {
        if (Status != RevisionStatus.Deploying || PredictedDuration is not null)
        {
            throw WorkflowException.Conflict($"revision {Number} is {Status}; a prediction is recorded once, when its deploy starts");
        }

        PredictedDuration = predicted;
        Version++;
    }

    /// <summary>
    /// Records that the deploy's watcher gets no answer (<paramref name="reason"/>, its latest message), or, with null,
    /// that answers came back. <see cref="RetryingSince"/> stays the time of the first failure while the outage lasts.
    /// </summary>
    public void ReportRetrying(string? reason)
    {
        if (Status != RevisionStatus.Deploying)
        {
            throw WorkflowException.Conflict($"revision {Number} is {Status}; only a deploying revision retries");
        }

        if (reason == RetryingReason)
        {
            return;
        }

        RetryingSince = reason is null ? null : RetryingSince ?? DateTimeOffset.UtcNow;
        RetryingReason = reason;
        Version++;
    }

    /// <summary>
    /// Records <paramref name="actor"/>'s decision on the current change set under the approval policy. A rejection
    /// ends the revision; the approval that reaches <paramref name="requiredApprovals"/> moves it to Approved.
    /// </summary>
    public Approval Decide(Actor actor, ApprovalDecision decision, string? comment, int requiredApprovals)
    {
        // DecisionValidator tells users; this keeps a bypassing caller from leaving a half-made decision.
        if (decision == ApprovalDecision.Rejected && string.IsNullOrWhiteSpace(comment))
        {
            throw new ArgumentException("A rejection needs a reason.", nameof(comment));
        }

        ApprovalPolicy.EnsureMayDecide(this, actor);

        var approval = new Approval(this, actor.Person, decision, comment, ChangeSetId);
        _approvals.Add(approval);
        RequiredApprovals = requiredApprovals;
        Version++;
        Environment.Audit(actor.Person, decision.ToString(), Number, comment);

        if (decision == ApprovalDecision.Rejected)
        {
            TransitionTo(RevisionStatus.Rejected, actor.Person, comment);
        }
        else if (ApprovalPolicy.CountApprovals(this) is var count && count >= RequiredApprovals)
        {
            TransitionTo(RevisionStatus.Approved, actor.Person, $"{count} of {RequiredApprovals} required approvals");
        }

        return approval;
    }
}
