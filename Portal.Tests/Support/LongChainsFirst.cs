using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Portal.Tests.Support.LongChainsFirst", "Portal.Tests")]
[assembly: CollectionBehavior(MaxParallelThreads = 3)]

namespace Portal.Tests.Support;

/// <summary>
/// xunit runs two collections at a time on two cores and starts them in this order. The shared-host collections are
/// long chains of classes that must run one after another (Browser about 200 s, Api about 150 s); started last, they ran
/// alone at the end of the run with one core idle. So the chains start first, then the heavy Load and Faults classes,
/// and the short Unit and Component collections fill the gaps at the end. Only the order changes, never what runs.
/// </summary>
public sealed class LongChainsFirst : ITestCollectionOrderer
{
    private static readonly string[] LanesByLength = [Lanes.Browser, Lanes.Api, Lanes.Load, Lanes.Faults, Lanes.OpenIdProvider, Lanes.Postgres];

    private static readonly Lazy<Dictionary<string, int>> RankOfCollection = new(RankCollections);

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => RankOfCollection.Value.GetValueOrDefault(c.DisplayName, LanesByLength.Length));

    /// <summary>Each collection's rank: that of its longest lane, under the display name xunit gives the collection.</summary>
    private static Dictionary<string, int> RankCollections()
    {
        var ranks = new Dictionary<string, int>();
        foreach (var type in typeof(LongChainsFirst).Assembly.GetTypes())
        {
            if (Lanes.Traits(type, Lanes.Category) is not [var lane]) continue;
            var rank = Array.IndexOf(LanesByLength, lane) is var i and >= 0 ? i : LanesByLength.Length;
            var collection = Lanes.Arguments(type, typeof(CollectionAttribute)).Select(arguments => arguments[0]).FirstOrDefault()
                             ?? $"Test collection for {type.FullName}";
            ranks[collection] = Math.Min(rank, ranks.GetValueOrDefault(collection, int.MaxValue));
        }
        return ranks;
    }
}
