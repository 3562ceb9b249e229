using Microsoft.EntityFrameworkCore;
using Portal.Jobs.Environments;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;

namespace Portal.Tests.Submissions;

/// <summary>One person submits at most <c>Submissions:PerUser</c> revisions per window (3 per hour here); others are not held up.</summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SubmissionLimitTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Submissions:PerUser"] = "3",
        ["Submissions:Window"] = "01:00:00",
    };

    [Fact]
    public async Task TheSubmissionPastTheLimitIsRefusedSayingWhenToRetryAndAnotherPersonStillSubmits()
    {
        await SubmitAsync("orders-a");
        await SubmitAsync("orders-b");
        // Changes count as much as new environments: each one is planned.
        await Environments.UpdateAsync(new SubmitUpdate("orders-a", Spec("orders-a", tag: "2.0.0")), Alice, None);

        var refused = await Assert.ThrowsAsync<SubmissionLimitException>(() => SubmitAsync("orders-c"));

        Assert.Equal(WorkflowErrorCode.TooManyRequests, refused.Code);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Matches(@"^alice submitted 3 changes in the last 1 h; at most 3 are allowed\. Try again in (59 min( \d+ s)?|1 h) \(at \d\d:\d\d:\d\d UTC\)\.$",
            refused.Message);
        await Assert.ThrowsAsync<SubmissionLimitException>(() =>
            Environments.DestroyAsync(new RequestDestroy("orders-a"), Alice, None));
        Assert.Equal(2, (await Queries.ListAsync(None)).Count);

        await SubmitAsync("orders-d", Dana);
    }

    [Fact]
    public async Task ATurnFreesWhenTheOldestSubmissionLeavesTheWindow()
    {
        var oldest = await SubmitAsync("orders-a");
        await SubmitAsync("orders-b");
        await SubmitAsync("orders-c");
        await SubmittedAgoAsync(oldest.Id, TimeSpan.FromMinutes(50));

        var refused = await Assert.ThrowsAsync<SubmissionLimitException>(() => SubmitAsync("orders-d"));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        await SubmittedAgoAsync(oldest.Id, TimeSpan.FromMinutes(61));
        await SubmitAsync("orders-d");
    }

    [Fact]
    public async Task ABurstOfParallelSubmissionsCannotSlipPastTheLimit()
    {
        var attempts = Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                await SubmitAsync($"orders-{i}");
                return true;
            }
            catch (SubmissionLimitException)
            {
                return false;
            }
        });

        var accepted = await Task.WhenAll(attempts);

        Assert.Equal(3, accepted.Count(a => a));
        Assert.Equal(3, (await Queries.ListAsync(None)).Count);
    }

    private async Task SubmittedAgoAsync(int revisionId, TimeSpan ago)
    {
        await using var db = NewDb();
        var at = DateTimeOffset.UtcNow - ago;
        await db.Revisions.Where(r => r.Id == revisionId).ExecuteUpdateAsync(set => set.SetProperty(r => r.SubmittedAt, at));
    }
}
