using Portal.Infra.Deployments;
using Portal.Infra.Environments;
using Portal.Jobs.Audit;
using Portal.Jobs.Cleanup;
using Portal.Jobs.Expiry;
using Portal.Jobs.Notifications;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;

namespace Portal.Jobs.Environments;

public enum EnvironmentStatus
{
    /// <summary>No stack exists yet (or any more): a Create revision is on its way.</summary>
    Requested,
    Deploying,
    Deployed,
    Failed,
    Destroying,
    Destroyed,
}

/// <summary>
/// A requested two-tier environment: one CloudFormation stack, changed only through its revisions.
/// The aggregate root: it opens revisions (superseding or refusing as the one-open-revision rule says),
/// follows their outcomes, and collects the audit entries that <see cref="Data.PortalDb"/> saves with it.
/// </summary>
public sealed class ManagedEnvironment
{
    private readonly List<Revision> _revisions = [];
    private readonly List<AuditEntry> _unsavedAudit = [];
    private readonly List<Notification> _unsavedNotifications = [];
    private readonly List<StackCleanup> _unsavedCleanups = [];

    private ManagedEnvironment()
    {
    }

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    public string Target { get; private set; } = "";

    public string StackName { get; private set; } = "";

    public EnvironmentStatus Status { get; private set; }

    public Person StatusChangedBy { get; private set; } = null!;

    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>The owner: engineers change only environments they created.</summary>
    public Person CreatedBy { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Stack outputs of the last deploy (the public URL among them).</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; private set; } = new Dictionary<string, string>();

    /// <summary>The newest revision's number (revisions are numbered from 1).</summary>
    public int CurrentRevisionNumber { get; private set; }

    /// <summary>The revision whose spec is live; null before the first deploy and after a destroy.</summary>
    public int? DeployedRevisionNumber { get; private set; }

    /// <summary>When the expiry job requests its destroy; null: it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>When the expiry job requested its destroy; null until then, and again once the expiry is extended.</summary>
    public DateTimeOffset? ExpiredAt { get; private set; }

    /// <summary>
    /// Since when its Deployed stack no longer exists: deleted outside the portal, as a health read or a drift check
    /// found. Null while the stack is there; the next deploy, which creates it again, clears it.
    /// </summary>
    public DateTimeOffset? StackMissingSince { get; private set; }

    public int Version { get; private set; }

    /// <summary>The revisions loaded with it: all, or only the open ones when loaded for a change.</summary>
    public IReadOnlyList<Revision> Revisions => _revisions;

    /// <summary>A new environment with revision 1 (Create, Submitted), requested by <paramref name="requestedBy"/>.</summary>
    public static ManagedEnvironment Request(EnvironmentSpec spec, Person requestedBy, int requiredApprovals)
    {
        var now = DateTimeOffset.UtcNow;
        var environment = new ManagedEnvironment
        {
            Name = spec.Name,
            Target = spec.Target,
            StackName = spec.StackName,
            Status = EnvironmentStatus.Requested,
            StatusChangedBy = requestedBy,
            StatusChangedAt = now,
            CreatedBy = requestedBy,
            CreatedAt = now,
        };
        environment.Audit(requestedBy, "Requested environment", null, $"target {spec.Target}, stack {spec.StackName}");
        environment.AddRevision(RevisionKind.Create, SpecJson.Serialize(spec), requestedBy, requiredApprovals, []);
        return environment;
    }

    /// <summary>
    /// A new revision with a new spec: Update when a stack is deployed, Create when none is. Whoever wrote content it
    /// carries over from <paramref name="history"/> becomes its editor (<see cref="Authorship"/>).
    /// </summary>
    public Revision RequestChange(EnvironmentSpec spec, Person requestedBy, int requiredApprovals, ContentHistory history)
    {
        var errors = new List<FieldError>();
        if (spec.Name != Name)
        {
            errors.Add(new FieldError("name", $"this is environment '{Name}'; an environment cannot be renamed"));
        }

        if (!string.Equals(spec.Target, Target, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("target", $"{Name} runs on target '{Target}'; request a new environment for another target"));
        }

        if (errors.Count > 0)
        {
            throw WorkflowException.Invalid(errors);
        }

        // A change would replace the destroy expiry requested; keeping the environment is what extending is for.
        if (IsExpired)
        {
            throw WorkflowException.Conflict(
                $"{Name} expired on {ExpiryRules.Format(ExpiresAt!.Value)} and is to be destroyed; extend its expiry to keep it, then request the change");
        }

        var kind = DeployedRevisionNumber is null ? RevisionKind.Create : RevisionKind.Update;
        var specJson = SpecJson.Serialize(spec);
        return AddRevision(kind, specJson, requestedBy, requiredApprovals, Authorship.AuthorsOf(specJson, history));
    }

    /// <summary>
    /// A Destroy revision carrying (a copy of) the spec being destroyed; it needs approval like any change. It deploys no
    /// content of its own, so only the authors of the open revision it supersedes become its editors.
    /// </summary>
    public Revision RequestDestroy(string specJson, Person requestedBy, int requiredApprovals)
    {
        if (!EnvironmentAccess.HasStack(Status))
        {
            throw WorkflowException.Conflict(
                $"{Name} has no stack to destroy (it is {Status}); cancel its open revision instead");
        }

        return AddRevision(RevisionKind.Destroy, specJson, requestedBy, requiredApprovals, []);
    }

    /// <summary>Engineers change only the environments they created; admins change any (<see cref="EnvironmentAccess"/>).</summary>
    public void EnsureMayBeChangedBy(Actor actor)
    {
        if (EnvironmentAccess.RefusalToChange(Name, CreatedBy, actor) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>
    /// Sets or extends the expiry date (checked by <see cref="ExpiryRules"/> before). A destroy that expiry requested and
    /// that is not deploying yet is withdrawn: the environment lives on until the new date. Needs the open revisions loaded.
    /// </summary>
    public void SetExpiry(DateTimeOffset expiresAt, Person by)
    {
        expiresAt = expiresAt.ToUniversalTime(); // PostgreSQL stores instants in UTC only
        if (Status is EnvironmentStatus.Destroying or EnvironmentStatus.Destroyed)
        {
            throw WorkflowException.Conflict($"{Name} is {Status}; there is nothing left to expire", ExpiryRules.Field);
        }

        var open = _revisions.FirstOrDefault(r => RevisionTransitions.IsOpen(r.Status));
        if (open is { Kind: RevisionKind.Destroy, Status: not RevisionStatus.Deploying } && ExpiryRules.IsExpiryRequester(open.RequestedBy.Id))
        {
            open.TransitionTo(RevisionStatus.Cancelled, by, $"expiry extended to {ExpiryRules.Format(expiresAt)}");
        }

        var what = ExpiresAt is null ? "Expiry set" : "Expiry extended";
        Audit(by, what, null, ExpiresAt is { } before
            ? $"{ExpiryRules.Format(before)} → {ExpiryRules.Format(expiresAt)}"
            : ExpiryRules.Format(expiresAt));
        ExpiresAt = expiresAt;
        ExpiredAt = null;
        Version++;
    }

    /// <summary>Past its expiry with a stack, and marked so: its destroy was requested (and is requested again until it is destroyed or extended).</summary>
    public bool IsExpired => ExpiredAt is not null && ExpiresAt is not null && Status is EnvironmentStatus.Deployed or EnvironmentStatus.Failed;

    /// <summary>
    /// The expiry job's destroy request (by <see cref="ExpiryRules.Requester"/>), audited and notified; marks the
    /// environment expired (the first time). Asked again whenever no destroy is on its way (the last one was withdrawn
    /// or rejected; <see cref="ExpiryRules.IsDue"/>). A destroy already open is kept (null is returned): expiry never
    /// adds a second one. Needs the open revisions loaded; refused like any change while a revision deploys.
    /// </summary>
    public Revision? Expire(string specJson, int requiredApprovals, DateTimeOffset now)
    {
        var expired = $"expired on {ExpiryRules.Format(ExpiresAt ?? now)}";
        var again = ExpiredAt is not null;
        ExpiredAt ??= now;
        Version++;
        if (_revisions.FirstOrDefault(r => RevisionTransitions.IsOpen(r.Status) && r.Kind == RevisionKind.Destroy) is { } open)
        {
            Audit(ExpiryRules.Requester, "Expired", open.Number, $"{expired}; destroy already requested as revision {open.Number}");
            return null;
        }

        var revision = RequestDestroy(specJson, ExpiryRules.Requester, requiredApprovals);
        var details = $"{expired}; destroy requested {(again ? "again " : "")}as revision {revision.Number}";
        Audit(ExpiryRules.Requester, "Expired", revision.Number, details);
        Notify(NotificationEvent.Expired, revision, details);
        return revision;
    }

    /// <summary>Stores the outputs a deploy reported.</summary>
    /// <summary>
    /// Records that its stack does not exist although it is Deployed (audited once); anything else, where no stack is
    /// expected or a revision is on its way, changes nothing. True when this is news.
    /// </summary>
    public bool ReportStackMissing(DateTimeOffset now)
    {
        if (Status != EnvironmentStatus.Deployed || StackMissingSince is not null)
            return false;
        StackMissingSince = now;
        Audit(Person.Portal, "Stack missing", CurrentRevisionNumber, $"the stack {StackName} was deleted outside the portal");
        Version++;
        return true;
    }

    public void RecordOutputs(IReadOnlyDictionary<string, string> outputs)
    {
        Outputs = new Dictionary<string, string>(outputs);
        Version++;
    }

    /// <summary>Audit entries not yet saved, in order; <see cref="Data.PortalDb"/> takes them on save.</summary>
    internal IReadOnlyList<AuditEntry> TakeUnsavedAudit()
    {
        var taken = _unsavedAudit.ToList();
        _unsavedAudit.Clear();
        return taken;
    }

    /// <summary>Notifications not yet saved; <see cref="Data.PortalDb"/> saves them with the change they report.</summary>
    internal IReadOnlyList<Notification> TakeUnsavedNotifications()
    {
        var taken = _unsavedNotifications.ToList();
        _unsavedNotifications.Clear();
        return taken;
    }

    /// <summary>Cleanups not yet saved; <see cref="Data.PortalDb"/> saves them with the revision's end they follow.</summary>
    internal IReadOnlyList<StackCleanup> TakeUnsavedCleanups()
    {
        var taken = _unsavedCleanups.ToList();
        _unsavedCleanups.Clear();
        return taken;
    }

    /// <summary>
    /// Asks for the cleanup of what <paramref name="revision"/>'s plan left in CloudFormation (its change set, by
    /// <paramref name="changeSetId"/> or the revision's own; with <paramref name="deleteReviewStack"/> also a stack that
    /// never got past REVIEW_IN_PROGRESS), saved in the same transaction as the change that makes it unused.
    /// </summary>
    internal void CleanUp(Revision revision, bool deleteReviewStack, string? changeSetId = null) =>
        _unsavedCleanups.Add(new StackCleanup(revision, deleteReviewStack, changeSetId ?? revision.ChangeSetId, DateTimeOffset.UtcNow));

    private void Notify(NotificationEvent @event, Revision revision, string? details) =>
        _unsavedNotifications.Add(new Notification(@event, Name, Target, revision.Number, revision.Kind, revision.RequestedBy, details));

    internal void Audit(Person who, string what, int? revisionNumber, string? details) =>
        _unsavedAudit.Add(new AuditEntry(DateTimeOffset.UtcNow, who, what, Name, revisionNumber, details));

    /// <summary>
    /// Follows a revision's move: audits it and keeps the environment's own status in step. A failed update whose stack
    /// rolled back (<paramref name="finalStackStatus"/> UPDATE_ROLLBACK_COMPLETE, also after a cancel) leaves the
    /// environment Deployed: the stack is stable and serves the deployed revision again, and only the revision failed.
    /// </summary>
    internal void OnRevisionTransition(Revision revision, RevisionStatus from, Person by, string? finalStackStatus = null)
    {
        Audit(by, $"Revision {from} → {revision.Status}", revision.Number, revision.StatusReason);
        var destroy = revision.Kind == RevisionKind.Destroy;
        switch (revision.Status)
        {
            case RevisionStatus.AwaitingApproval:
                Notify(NotificationEvent.AwaitingApproval, revision, revision.StatusReason);
                break;
            case RevisionStatus.Deploying:
                SetStatus(destroy ? EnvironmentStatus.Destroying : EnvironmentStatus.Deploying, by, revision.Number);
                break;
            case RevisionStatus.Deployed when destroy:
                DeployedRevisionNumber = null;
                StackMissingSince = null;
                Outputs = new Dictionary<string, string>();
                // The expiry belonged to what was destroyed; a new create of the environment starts without one.
                ExpiresAt = ExpiredAt = null;
                SetStatus(EnvironmentStatus.Destroyed, by, revision.Number);
                Notify(NotificationEvent.Deployed, revision, revision.StatusReason);
                break;
            case RevisionStatus.Deployed:
                DeployedRevisionNumber = revision.Number;
                StackMissingSince = null;
                SetStatus(EnvironmentStatus.Deployed, by, revision.Number);
                Notify(NotificationEvent.Deployed, revision, revision.StatusReason);
                break;
            case RevisionStatus.Failed when revision.Kind == RevisionKind.Update
                                            && finalStackStatus == StackStatus.UpdateRollbackComplete
                                            && DeployedRevisionNumber is { } serving:
                Audit(by, $"Rolled back: revision {serving} still deployed", revision.Number, revision.StatusReason);
                SetStatus(EnvironmentStatus.Deployed, by, revision.Number);
                Notify(NotificationEvent.Failed, revision, revision.StatusReason);
                break;
            case RevisionStatus.Failed:
                SetStatus(EnvironmentStatus.Failed, by, revision.Number);
                Notify(NotificationEvent.Failed, revision, revision.StatusReason);
                break;
        }
    }

    /// <summary>
    /// The one-open-revision rule: a Deploying revision blocks new ones; any other open revision is superseded by the
    /// new one. Its editors are the superseded revisions' authors (an edit starts from the spec it replaces) and
    /// <paramref name="contentAuthors"/>, never its requester. Needs the open revisions loaded.
    /// </summary>
    private Revision AddRevision(
        RevisionKind kind, string specJson, Person requestedBy, int requiredApprovals, IEnumerable<Person> contentAuthors)
    {
        var open = _revisions.Where(r => RevisionTransitions.IsOpen(r.Status)).ToList();
        if (open.FirstOrDefault(r => r.Status == RevisionStatus.Deploying) is { } deploying)
        {
            throw WorkflowException.Conflict(
                $"revision {deploying.Number} of {Name} is deploying; wait until it finishes before requesting another change");
        }

        var number = CurrentRevisionNumber + 1;
        foreach (var superseded in open)
        {
            superseded.TransitionTo(RevisionStatus.Superseded, requestedBy, $"superseded by revision {number}");
        }

        var editors = open.SelectMany(r => r.EditedBy.Prepend(r.RequestedBy))
            .Concat(contentAuthors)
            .Where(person => person.Id != requestedBy.Id)
            .DistinctBy(person => person.Id);
        var revision = new Revision(this, number, kind, specJson, requestedBy, editors, requiredApprovals);
        _revisions.Add(revision);
        CurrentRevisionNumber = number;
        Version++;
        Audit(requestedBy, $"Submitted {kind} revision", number,
            open.Count == 0 ? null : $"supersedes revision {string.Join(", ", open.Select(r => r.Number))}");
        if (kind == RevisionKind.Create && Status == EnvironmentStatus.Destroyed)
        {
            SetStatus(EnvironmentStatus.Requested, requestedBy, number);
        }

        return revision;
    }

    private void SetStatus(EnvironmentStatus status, Person by, int revisionNumber)
    {
        if (status == Status)
        {
            return;
        }

        Audit(by, $"Environment {Status} → {status}", revisionNumber, null);
        Status = status;
        StatusChangedBy = by;
        StatusChangedAt = DateTimeOffset.UtcNow;
        Version++;
    }
}
