using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Jobs.Environments;

namespace Portal.Web.Components.Environments;

/// <summary>
/// Every environment (everyone signed in sees all), a page at a time: search, sort and paging run in the database
/// (<see cref="EnvironmentQueries.PageAsync"/>), so the page costs the same with ten environments or ten thousand, and
/// the prerendered page already shows the first rows.
/// </summary>
public partial class EnvironmentsPage
{
    private static readonly int[] PageSizes = [10, 25, 50];
    private EnvironmentListQuery _query = new();
    private EnvironmentListPage? _page;

    [Inject] private EnvironmentQueries Queries { get; set; } = default!;

    private int LastPage => _page is null || _page.Total == 0 ? 0 : (_page.Total - 1) / _query.PageSize;

    private string Range => _page is null || _page.Total == 0
        ? "0 of 0"
        : $"{_query.Page * _query.PageSize + 1}–{_query.Page * _query.PageSize + _page.Items.Count} of {_page.Total:N0}";

    protected override Task OnInitializedAsync() => ShowAsync(_query);

    private Task SearchAsync(string? search) => ShowAsync(_query with { Search = search, Page = 0 });

    /// <summary>No direction (a third click) goes back to the default order, by name.</summary>
    private Task SortAsync(EnvironmentSortKey key, SortDirection direction) => ShowAsync(direction == SortDirection.None
        ? _query with { SortBy = EnvironmentSortKey.Name, Descending = false, Page = 0 }
        : _query with { SortBy = key, Descending = direction == SortDirection.Descending, Page = 0 });

    private Task PageSizeAsync(int size) => ShowAsync(_query with { PageSize = size, Page = 0 });

    private Task GoToAsync(int pageIndex) => ShowAsync(_query with { Page = Math.Clamp(pageIndex, 0, LastPage) });

    private async Task ShowAsync(EnvironmentListQuery next)
    {
        if (next == _query && _page is not null) return;
        _query = next;
        var loaded = await Queries.PageAsync(next, CancellationToken.None);
        // A slower answer to an older question (typing fast) must not replace a newer one.
        if (next == _query) _page = loaded;
    }
}
