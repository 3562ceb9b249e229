using System.Net;
using Portal.Tests.Api;
using Portal.Tests.Web;

namespace Portal.Tests.Hostile;

/// <summary>
/// Every request of the <see cref="HostileCorpus"/> gets its status with a problem naming the field, never a 500;
/// nothing is written; the answer never echoes the megabytes it was sent; and the portal answers the next request.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostileApiTests(PortalHost host)
{
    private static readonly SemaphoreSlim VictimLock = new(1, 1);
    private static Victims? victims;

    public static TheoryData<string> Corpus() => new(HostileCorpus.All.Select(r => r.Id));

    [Fact]
    public void TheCorpusHoldsAtLeast150DistinctRequests()
    {
        Assert.True(HostileCorpus.All.Count >= 150, $"{HostileCorpus.All.Count} requests");
        Assert.Equal(HostileCorpus.All.Count, HostileCorpus.All.Select(r => r.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task IsRefusedNamingTheFieldAndWritesNothing(string id)
    {
        var hostile = HostileCorpus.Get(id);
        var victims = await VictimsAsync();
        var before = await WrittenRows.CountAsync(host);

        using var client = host.Api(null);
        using var request = hostile.Build(victims);
        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(hostile.Status == response.StatusCode, $"{(int)response.StatusCode}, expected {(int)hostile.Status}: {Shorten(body)}");
        if (hostile.Field is null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            var errors = await response.FieldErrorsAsync();
            Assert.True(errors.Keys.Any(key => Names(key, hostile.Field)), $"no error names {hostile.Field}: {string.Join(", ", errors.Keys)}");
        }
        Assert.True(body.Length < 16 * 1024, $"the answer is {body.Length:N0} characters long");
        Assert.Equal(before, await WrittenRows.CountAsync(host));
        // The portal keeps serving, and the victim still waits for a decision.
        using var next = await host.Api("alice").GetAsync($"/api/environments/{victims.Requested}/revisions/1");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("AwaitingApproval", (await next.JsonAsync()).GetProperty("status").GetString());
    }

    /// <summary>The key is the field, or a member or item of it (<c>frontend.environment["a b"]</c>).</summary>
    private static bool Names(string key, string field) =>
        key == field || key.StartsWith(field + "[", StringComparison.Ordinal) || key.StartsWith(field + ".", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length > 500 ? text[..500] + "…" : text;

    /// <summary>alice's environment awaiting approval and her deployed one, made once for the whole corpus.</summary>
    private async Task<Victims> VictimsAsync()
    {
        await VictimLock.WaitAsync();
        try
        {
            if (victims is null)
            {
                var requested = await host.RequestedByAliceAsync("hostile");
                var deployed = await host.DeployedForAliceAsync("hostile-deployed");
                using var events = await host.Api("alice").GetAsync($"/api/environments/{deployed}/events");
                var service = (await events.JsonAsync()).EnumerateArray().Select(e => e.GetProperty("logicalResourceId").GetString()!)
                    .First(id => id.StartsWith("FrontendService", StringComparison.Ordinal));
                victims = new Victims(requested, deployed, service);
            }

            return victims;
        }
        finally
        {
            VictimLock.Release();
        }
    }
}
