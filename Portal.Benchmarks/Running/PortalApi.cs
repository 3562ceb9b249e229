using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Benchmarks.Running;

/// <summary>A revision as the API shows it, as far as the benchmark needs it.</summary>
public sealed record RevisionState(string Environment, int Number, string Status, string? ChangeSetId);

/// <summary>
/// The portal's REST API with development bearer tokens (<c>dev-alice</c> requests, <c>dev-bob</c> approves), and
/// a signed-in browser session over plain HTTP for timing the pages.
/// </summary>
public sealed partial class PortalApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _alice = Client(baseAddress, "alice");
    private readonly HttpClient _bob = Client(baseAddress, "bob");

    private static readonly Lazy<string> Sample = new(() => File.ReadAllText(RepositoryFile("samples", "orders-dev.json")));

    /// <summary>The sample spec (samples/orders-dev.json) under <paramref name="name"/>, for <paramref name="target"/>.</summary>
    public static string Spec(string name, string target = "sandbox")
    {
        var spec = JsonNode.Parse(Sample.Value)!;
        spec["name"] = name;
        spec["target"] = target;
        return spec.ToJsonString();
    }

    public static string StackName(string environment) => $"portal-{environment}";

    /// <summary>POST /api/environments as alice: revision 1 of a new environment, planned next.</summary>
    public async Task SubmitAsync(string name, CancellationToken cancellationToken, string target = "sandbox")
    {
        using var body = new StringContent(Spec(name, target), Encoding.UTF8, "application/json");
        using var response = await _alice.PostAsync("api/environments", body, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.Created, $"submit {name}", cancellationToken);
    }

    /// <summary>POST …/approve as bob.</summary>
    public async Task ApproveAsync(string name, int number, CancellationToken cancellationToken)
    {
        using var response = await _bob.PostAsJsonAsync($"api/environments/{name}/revisions/{number}/approve", new { comment = "bench" }, cancellationToken);
        await EnsureAsync(response, HttpStatusCode.OK, $"approve {name} revision {number}", cancellationToken);
    }

    public async Task<RevisionState> RevisionAsync(string name, int number, CancellationToken cancellationToken)
    {
        var revision = (await _alice.GetFromJsonAsync<JsonNode>($"api/environments/{name}/revisions/{number}", cancellationToken))!;
        return new RevisionState(name, number, (string)revision["status"]!, (string?)revision["changeSetId"]);
    }

    /// <summary>When the environment's audit trail first records a move to <paramref name="status"/> (e.g. "→ Planning": a job took it).</summary>
    public async Task<DateTimeOffset> AuditedAsync(string name, string status, CancellationToken cancellationToken)
    {
        var environment = (await _alice.GetFromJsonAsync<JsonNode>($"api/environments/{name}", cancellationToken))!;
        return environment["audit"]!.AsArray()
            .Where(entry => ((string)entry!["what"]!).EndsWith($"→ {status}", StringComparison.Ordinal))
            .Select(entry => DateTimeOffset.Parse((string)entry!["at"]!)).First();
    }

    /// <summary>Every environment's current revision, by environment name (GET /api/environments).</summary>
    public async Task<IReadOnlyDictionary<string, RevisionState>> CurrentRevisionsAsync(CancellationToken cancellationToken)
    {
        var list = (await _alice.GetFromJsonAsync<JsonArray>("api/environments", cancellationToken))!;
        return list.Select(e => new RevisionState((string)e!["name"]!, (int)e["currentRevisionNumber"]!, (string)e["currentRevisionStatus"]!, null))
            .ToDictionary(r => r.Environment);
    }

    /// <summary>Polls until every one of <paramref name="names"/> has its current revision in one of <paramref name="statuses"/>.</summary>
    public async Task WaitForStatusAsync(IReadOnlyCollection<string> names, IReadOnlySet<string> statuses, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            while (true)
            {
                var current = await CurrentRevisionsAsync(timeout.Token);
                var waiting = names.Where(n => !current.TryGetValue(n, out var r) || !statuses.Contains(r.Status)).ToList();
                if (waiting.Count == 0) return;
                if (waiting.Select(n => current.GetValueOrDefault(n)?.Status).FirstOrDefault(s => s is "PlanFailed" or "Failed") is { } failed)
                    throw new InvalidOperationException($"a revision ended {failed} while waiting for {string.Join("/", statuses)}");
                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"not all of {names.Count} environments reached {string.Join("/", statuses)} within {deadline.TotalSeconds} s");
        }
    }

    /// <summary>A client for the pages, signed in as <paramref name="user"/> through the development sign-in form.</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string user, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
        };
        var page = await http.GetStringAsync("signin", cancellationToken);
        var token = AntiforgeryToken().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("the sign-in page has no antiforgery token");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["user"] = user,
            ["returnUrl"] = "/environments",
        });
        using var response = await http.PostAsync("account/signin", form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"signing in as {user} answered {(int)response.StatusCode}");
        return http;
    }

    /// <summary>The repository's file (the benchmark runs from its build output inside the repository).</summary>
    public static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
                return Path.Combine([dir.FullName, .. parts]);
        throw new InvalidOperationException("run the benchmark from the repository's build output (Portal.sln not found above it)");
    }

    /// <summary>An API client with <paramref name="user"/>'s development bearer token.</summary>
    public static HttpClient Client(Uri baseAddress, string user) => new()
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", $"dev-{user}") },
    };

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }
}
