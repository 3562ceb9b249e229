using Microsoft.AspNetCore.Components;
using Portal.Jobs.Environments;
using Portal.Web.Components.Shared;

namespace Portal.Web.Components.Environments;

/// <summary>Every environment (everyone signed in sees all): search, sort and paging happen on the loaded list.</summary>
public partial class EnvironmentsPage
{
    private IReadOnlyList<EnvironmentSummary>? environments;
    private string search = "";

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;

    protected override async Task OnInitializedAsync() => environments = await Queries.ListAsync(CancellationToken.None);

    private bool Matches(EnvironmentSummary environment) =>
        string.IsNullOrWhiteSpace(search) ||
        new[] { environment.Name, environment.Target, environment.Owner, Words.Of(environment.Status), environment.Status.ToString() }
            .Any(text => text.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));
}
