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
    private readonly FormErrors errors = new();
    private SpecForm? form;
    private IReadOnlySet<string> placed = new HashSet<string>();
    private IReadOnlyCollection<string> targets = [];
    private RevisionView? supersedes;
    private EnvironmentSpec? deployedSpec;
    private string? notOwner;
    private string? loadProblem;
    private string? refusal;
    private bool submitting;
    private string? expiresAt;

    /// <summary>The environment to change; null to request a new one.</summary>
    [Parameter] public string? Name { get; set; }

    [Inject] private EnvironmentRequestValidator Validator { get; set; } = default!;
    [Inject] private EnvironmentCommands Commands { get; set; } = default!;
    [Inject] private EnvironmentQueries Queries { get; set; } = default!;
    [Inject] private ITargetPolicy Targets { get; set; } = default!;
    [Inject] private ExpiryRules Expiry { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool editing => Name is not null;

    private string Heading => editing ? $"Change {Name}" : "Request an environment";

    /// <summary>Errors about the spec as a whole or its name and target that no field shows.</summary>
    private IEnumerable<FieldError> TopLevelUnplaced => errors.Unplaced(placed, "")
        .Where(e => !e.Field.StartsWith("frontend", StringComparison.Ordinal) && !e.Field.StartsWith("backend", StringComparison.Ordinal));

    protected override async Task OnParametersSetAsync()
    {
        targets = Targets.TargetNames;
        if (!editing)
        {
            form = SpecForm.New(targets.FirstOrDefault() ?? "");
            Revalidate();
            return;
        }

        try
        {
            var environment = await Queries.GetAsync(Name!, CancellationToken.None);
            var actor = await GetActorAsync();
            // Start from the newest revision: an edit continues the latest request, whatever its status.
            form = SpecForm.From(environment.Revisions[0].Spec);
            supersedes = environment.Revisions.FirstOrDefault(r => RevisionTransitions.IsOpen(r.Status));
            deployedSpec = environment.DeployedRevision?.Spec;
            notOwner = actor.IsAdmin || actor.Is(environment.Environment.OwnerId)
                ? null
                : $"{Name} belongs to {environment.Environment.Owner}; only they or an admin can change it.";
            Revalidate();
        }
        catch (WorkflowException e) when (e.Code == WorkflowErrorCode.NotFound)
        {
            loadProblem = e.Message;
        }
    }

    private Task ChangedAsync(Action set, string path)
    {
        set();
        return TouchedAsync([path]);
    }

    private Task TouchedAsync(string[] paths)
    {
        errors.Touch(paths);
        refusal = null;
        Revalidate();
        return Task.CompletedTask;
    }

    private void Revalidate()
    {
        errors.Set([.. form!.Validate(Validator.Validate), .. ExpiryErrors()]);
        placed = new HashSet<string>(form.FieldPaths()) { ExpiryRules.Field };
    }

    private async Task SubmitAsync()
    {
        errors.ShowAll();
        Revalidate();
        if (errors.All.Count > 0)
        {
            refusal = errors.All.Count == 1 ? "Fix the problem marked above first." : $"Fix the {errors.All.Count} problems marked above first.";
            return;
        }

        submitting = true;
        try
        {
            var spec = form!.ToSpec();
            var actor = await GetActorAsync();
            var revision = editing
                ? await Commands.UpdateAsync(new SubmitUpdate(Name!, spec), actor, CancellationToken.None)
                : await Commands.SubmitAsync(new SubmitEnvironment(spec, ExpiresAt), actor, CancellationToken.None);
            Snackbar.Add(WhereItWent(revision), Severity.Success);
            Navigation.NavigateTo($"/environments/{revision.EnvironmentName}");
        }
        catch (WorkflowException e)
        {
            // Refusals the form could not foresee: the name is taken, a deploy is running, the user may not.
            refusal = e.Message;
            errors.Set([.. errors.All, .. e.Errors]);
        }
        finally
        {
            submitting = false;
        }
    }

    /// <summary>The optional expiry, read as UTC (the field says so); null when empty or unreadable.</summary>
    private DateTimeOffset? ExpiresAt =>
        DateTime.TryParseExact(expiresAt, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc)
            ? new DateTimeOffset(utc, TimeSpan.Zero)
            : null;

    private IReadOnlyList<FieldError> ExpiryErrors() =>
        editing || string.IsNullOrWhiteSpace(expiresAt) ? []
        : ExpiresAt is { } at ? Expiry.Validate(form!.Target, at)
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
