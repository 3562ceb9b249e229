using System.Net;
using System.Text.Json;
using Portal.Tests.Api;

namespace Portal.Tests.Submissions;

/// <summary>The API answers a submission past the limit with 429, <c>Retry-After</c> and a problem body.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class SubmissionLimitApiTests : IAsyncLifetime
{
    private readonly string _root = TempFolder.New("limit");
    private PortalHost _host = null!;

    public async Task InitializeAsync()
    {
        // No jobs: the plans are only queued, so nothing reaches the (absent) sandbox.
        var settings = await PortalHost.SettingsAsync(Path.Combine(_root, "data"), new Uri("http://127.0.0.1:9/"));
        settings["Jobs:RunServer"] = "false";
        settings["Submissions:PerUser"] = "1";
        settings["Submissions:Window"] = "00:10:00";
        _host = PortalHost.OnData(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task ASubmissionPastTheLimitIsAnswered429WithRetryAfterAndAProblem()
    {
        using var alice = _host.Api("alice");
        using var first = await alice.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson("limit-a")));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await alice.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson("limit-b")));
        using var change = await alice.PutAsync("/api/environments/limit-a", ApiClient.Json(ApiClient.SpecJson("limit-a")));

        foreach (var refused in new[] { second, change })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var retryAfter = Assert.Single(refused.Headers.GetValues("Retry-After"));
            Assert.InRange(int.Parse(retryAfter), 590, 600);
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(429, problem.GetProperty("status").GetInt32());
            Assert.Equal("Too many submissions", problem.GetProperty("title").GetString());
            Assert.Contains("at most 1 are allowed", problem.GetProperty("detail").GetString());
        }

        using var dana = _host.Api("dana");
        using var other = await dana.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson("limit-c")));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }
}
