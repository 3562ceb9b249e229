using Portal.Jobs.Environments;
using Portal.Tests.Workflow;

namespace Portal.Tests.EnvironmentList;

/// <summary>The environments table asks the database for one page: searched, sorted and counted there.</summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class EnvironmentListTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task APageHoldsItsRowsInNameOrderAndCountsEveryEnvironment()
    {
        foreach (var i in Enumerable.Range(1, 12).Reverse()) await SubmitAsync($"env-{i:00}");

        var page = await Queries.PageAsync(new EnvironmentListQuery(Page: 1, PageSize: 5), None);

        Assert.Equal(["env-06", "env-07", "env-08", "env-09", "env-10"], page.Items.Select(e => e.Name));
        Assert.Equal(12, page.Total);
    }

    [Fact]
    public async Task SearchMatchesNameTargetOwnerOrStatusIgnoringCase()
    {
        await SubmitAsync("orders-dev");
        await SubmitAsync("billing-dev", by: Erin);
        var billing = await SubmitAsync("billing-prod", target: "prod");
        await ApproveAsync(billing, Bob);
        await DeployAsync((await ApproveAsync(billing, Carol)).Id);

        async Task<IEnumerable<string>> Search(string text) =>
            (await Queries.PageAsync(new EnvironmentListQuery(Search: text), None)).Items.Select(e => e.Name);

        Assert.Equal(["orders-dev"], await Search("ORDERS"));
        Assert.Equal(["billing-dev"], await Search("erin"));
        Assert.Equal(["billing-prod"], await Search("Prod"));
        Assert.Equal(["billing-prod"], await Search("deployed"));
        Assert.Equal(["billing-dev", "orders-dev"], await Search("requested"));
        Assert.Empty(await Search("%"));
        Assert.Empty(await Search("billing_"));
    }

    [Fact]
    public async Task SortsByAnyColumnEitherWayThenByName()
    {
        var first = await SubmitAsync("a-env");
        await SubmitAsync("b-env", by: Erin);
        await SubmitAsync("c-env");
        await DeployAsync((await ApproveAsync(first, Bob)).Id);

        async Task<IEnumerable<string>> Sorted(EnvironmentSortKey key, bool descending) =>
            (await Queries.PageAsync(new EnvironmentListQuery(SortBy: key, Descending: descending), None)).Items.Select(e => e.Name);

        Assert.Equal(["c-env", "b-env", "a-env"], await Sorted(EnvironmentSortKey.Name, descending: true));
        Assert.Equal(["b-env", "a-env", "c-env"], await Sorted(EnvironmentSortKey.Owner, descending: true));
        Assert.Equal(["a-env", "b-env", "c-env"], await Sorted(EnvironmentSortKey.Status, descending: false)); // Deployed < Requested
        Assert.Equal("a-env", (await Sorted(EnvironmentSortKey.LastChange, descending: true)).First());
        Assert.Equal("a-env", (await Sorted(EnvironmentSortKey.LastChange, descending: false)).Last());
    }
}
