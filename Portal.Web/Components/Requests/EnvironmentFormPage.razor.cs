using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Infra.Environments;
using Portal.Jobs.Environments;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Requests;

/// <summary>
/// Request a new environment (<c>/request</c>) or change one (<c>/environments/{name}/edit</c>). The model is checked
/// by the server's own validator on every change, so field errors read exactly as the API's; the commands check again.
/// </summary>
public partial class EnvironmentFormPage
{
    private readonly FormErrors _errors = new();
    private SpecForm? _form;
    private IReadOnlySet<string> _placed = new HashSet<string>();
    private IReadOnlyCollection<string> _targets = [];
    private RevisionView? _supersedes;
    private EnvironmentSpec? _deployedSpec;
    private string? _notOwner;
    private string? _loadProblem;
    private string? _refusal;
    private bool _submitting;
    private string? _expiresAt;

    /// <summary>The environment to change; null to request a new one.</summary>
    [Parameter] public string? Name { get; set; }

    [Inject] private EnvironmentRequestValidator Validator { get; set; } = default!;
    [Inject] private EnvironmentCommands Commands { get; set; } = default!;
    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private ITargetPolicy Targets { get; set; } = default!;
    [Inject] private ExpiryRules Expiry { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool Editing => Name is not null;

    private string Heading => Editing ? $"Change {Name}" : "Request an environment";

    /// <summary>Errors about the spec as a whole or its name and target that no field shows.</summary>
    private IEnumerable<FieldError> TopLevelUnplaced => _errors.Unplaced(_placed, "")
        .Where(e => !e.Field.StartsWith("frontend", StringComparison.Ordinal) && !e.Field.StartsWith("backend", StringComparison.Ordinal));

    protected override async Task OnParametersSetAsync()
    {
        _targets = Targets.TargetNames;
        if (!Editing)
        {
            _form = SpecForm.New(_targets.FirstOrDefault() ?? "");
            Revalidate();
            return;
        }

        try
        {
            var environment = await Queries.GetAsync(Name!, CancellationToken.None);
            var actor = await GetActorAsync();
            // Start from the newest revision: an edit continues the latest request, whatever its status.
            _form = SpecForm.From(environment.Revisions[0].Spec);
            _supersedes = environment.Revisions.FirstOrDefault(r => RevisionTransitions.IsOpen(r.Status));
            _deployedSpec = environment.DeployedRevision?.Spec;
            _notOwner = actor.IsAdmin || actor.Is(environment.Environment.OwnerId)
                ? null
                : $"{Name} belongs to {environment.Environment.Owner}; only they or an admin can change it.";
            Revalidate();
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            _loadProblem = e.Message;
        }
    }

    private Task ChangedAsync(Action set, string path)
    {
        set();
        return TouchedAsync([path]);
    }

    private Task TouchedAsync(string[] paths)
    {
        _errors.Touch(paths);
        _refusal = null;
        Revalidate();
        return Task.CompletedTask;
    }

    private void Revalidate()
    {
        _errors.Set([.. _form!.Validate(Validator.Validate), .. ExpiryErrors()]);
        _placed = new HashSet<string>(_form.FieldPaths()) { ExpiryRules.Field };
    }

    private async Task SubmitAsync()
    {
        _errors.ShowAll();
        Revalidate();
        if (_errors.All.Count > 0)
        {
            _refusal = _errors.All.Count == 1 ? "Fix the problem marked above first." : $"Fix the {_errors.All.Count} problems marked above first.";
            return;
        }

        _submitting = true;
        try
        {
            var spec = _form!.ToSpec();
            var actor = await GetActorAsync();
            var revision = Editing
                ? await Commands.UpdateAsync(new SubmitUpdate(Name!, spec), actor, CancellationToken.None)
                : await Commands.SubmitAsync(new SubmitEnvironment(spec, ExpiresAt), actor, CancellationToken.None);
            Snackbar.Add(WhereItWent(revision), Severity.Success);
            Navigation.NavigateTo($"/environments/{revision.EnvironmentName}");
        }
        catch (WorkflowException e)
        {
            // Refusals the form could not foresee: the name is taken, a deploy is running, the user may not.
            _refusal = e.Message;
            _errors.Set([.. _errors.All, .. e.Errors]);
        }
        finally
        {
            _submitting = false;
        }
    }

    /// <summary>The optional expiry, read as UTC (the field says so); null when empty or unreadable.</summary>
    private DateTimeOffset? ExpiresAt =>
        DateTime.TryParseExact(_expiresAt, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc)
            ? new DateTimeOffset(utc, TimeSpan.Zero)
            : null;

    private IReadOnlyList<FieldError> ExpiryErrors() =>
        Editing || string.IsNullOrWhiteSpace(_expiresAt) ? []
        : ExpiresAt is { } at ? Expiry.Validate(_form!.Target, at)
        : [new FieldError(ExpiryRules.Field, "enter a date and time (UTC), or leave it empty")];

    /// <summary>
    /// Where the request went. A submitted revision is planned first (the plan job runs after the answer), so the
    /// message names both steps rather than the passing status "submitted".
    /// </summary>
    private static string WhereItWent(RevisionView revision)
    {
        var queue = $"the approvers' queue ({revision.RequiredApprovals} approval{(revision.RequiredApprovals == 1 ? "" : "s")} needed on {revision.Spec.Target})";
        return revision.Status switch
        {
            RevisionStatus.Submitted or RevisionStatus.Planning =>
                $"Revision {revision.Number} of {revision.EnvironmentName} is being planned; then it waits in {queue}.",
            RevisionStatus.AwaitingApproval => $"Revision {revision.Number} of {revision.EnvironmentName} is waiting in {queue}.",
            _ => $"Revision {revision.Number} of {revision.EnvironmentName} is {Words.Of(revision.Status).ToLowerInvariant()}.",
        };
    }
}
