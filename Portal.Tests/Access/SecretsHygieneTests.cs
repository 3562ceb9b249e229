using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Jobs.Data;
using Portal.Tests.Api;
using Xunit.Abstractions;

namespace Portal.Tests.Access;

[CollectionDefinition(SecretsHygieneTests.Name, DisableParallelization = true)]
public sealed class SecretsHygieneCollection;

/// <summary>
/// The AWS credentials the portal runs with, and the Authorization headers it receives and sends, never reach its
/// database, its Hangfire database or its logs (every level, with structured values and scopes). A full
/// submit → approve → deploy runs against a target of kind Aws (the portal's built-in sandbox stands in for
/// CloudFormation), so the marker credentials really sign every CloudFormation call.
/// </summary>
[Collection(Name)]
[Trait(Lanes.Category, Lanes.Api)]
// SqliteOnly: it reads the SQLite files themselves.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed partial class SecretsHygieneTests(ITestOutputHelper output)
{
    /// <summary>
    /// Runs alone, after the parallel collections: it swaps the process-wide AWS_* variables for the markers, and a
    /// test running beside it would sign with them (or, worse, put its own back while this one deploys).
    /// </summary>
    public const string Name = "Secrets hygiene (process environment)";

    private const string AccessKeyId = "AKIAMARKER7Q3X9Z1W5V";
    private const string SecretAccessKey = "marker-secret-d41d8cd98f00b204e9800998ecf8427e";
    private const string SessionToken = "marker-token-5f4dcc3b5aa765d61d8327deb882cf99";

    [Fact]
    public async Task MarkerCredentialsAndAuthorizationHeadersNeverReachTheDatabasesOrTheLogs()
    {
        var saved = new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" }.ToDictionary(k => k, System.Environment.GetEnvironmentVariable);
        System.Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        System.Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretAccessKey);
        System.Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", SessionToken);
        var host = new MarkedHost();
        try
        {
            var name = PortalHost.UniqueName("marked");
            await DeployAsync(host, name);
            await host.DisposeAsync(); // flushes and closes both databases

            // The markers were really in play: the CloudFormation calls were signed with them, and the API saw the tokens.
            var headers = host.Authorization.ToList();
            Assert.Contains("Bearer dev-alice", headers);
            Assert.Contains("Bearer dev-bob", headers);
            var signed = headers.Where(h => h.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(signed);
            Assert.All(signed, h => Assert.Contains($"Credential={AccessKeyId}/", h));
            Assert.Contains(SessionToken, host.SessionTokens);

            var secrets = new List<string> { AccessKeyId, SecretAccessKey, SessionToken, "dev-alice", "dev-bob", "AWS4-HMAC-SHA256" };
            secrets.AddRange(signed.Select(h => Signature().Match(h) is { Success: true } signature ? signature.Groups[1].Value : throw new InvalidOperationException(h)));
            var files = await SettledFilesAsync(host.DataDirectory);
            Assert.Contains(DatabaseConfiguration.FileName, files.Keys);
            Assert.Contains(Portal.Jobs.Hosting.HangfireStorage.FileName, files.Keys);
            Assert.True(host.Logs.Lines.Count > 1000, $"only {host.Logs.Lines.Count} log lines were captured");
            output.WriteLine($"{host.Logs.Lines.Count:N0} log lines, {signed.Count} signed CloudFormation calls, " +
                             string.Join(", ", files.Select(f => $"{f.Key} {f.Value.Length:N0} bytes")));
            foreach (var secret in secrets.Distinct())
            {
                foreach (var (file, content) in files)
                {
                    Assert.False(Contains(content, secret), $"{file} holds {secret}");
                }
                Assert.Null(host.Logs.Lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal)));
            }
        }
        finally
        {
            await host.DisposeAsync();
            foreach (var (key, value) in saved)
            {
                System.Environment.SetEnvironmentVariable(key, value);
            }
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(host.DataDirectory)!, recursive: true);
        }
    }

    private static async Task DeployAsync(MarkedHost host, string name)
    {
        var spec = JsonNode.Parse(ApiClient.SpecJson(name))!;
        spec["target"] = MarkedHost.Target;
        using var alice = host.Api("alice");
        using var bob = host.Api("bob");
        using (var submitted = await alice.PostAsync("/api/environments", ApiClient.Json(spec.ToJsonString())))
        {
            Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        }
        await StatusAsync(alice, name, "AwaitingApproval");
        using (var approved = await bob.PostAsync($"/api/environments/{name}/revisions/1/approve", ApiClient.Comment("ship it")))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }
        await StatusAsync(alice, name, "Deployed");
    }

    private static Task StatusAsync(HttpClient client, string name, string status) => Poll.UntilAsync(
        async () =>
        {
            using var response = await client.GetAsync($"/api/environments/{name}/revisions/1");
            var revision = await response.JsonAsync();
            return $"{revision.GetProperty("status").GetString()} {(revision.TryGetProperty("statusReason", out var reason) ? reason.GetString() : "")}";
        },
        last => last.StartsWith(status + " ", StringComparison.Ordinal),
        last => $"revision 1 of {name} is {last}, not {status}, after 60 s", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

    /// <summary>
    /// Every file of the data folder (databases, their write-ahead logs) once the stopped host's storage has let go of
    /// them: the same files, of the same sizes, twice in a row.
    /// </summary>
    private static async Task<Dictionary<string, byte[]>> SettledFilesAsync(string directory) => (await Poll.UntilAsync(
        async () =>
        {
            try
            {
                var files = new Dictionary<string, byte[]>();
                foreach (var file in Directory.GetFiles(directory))
                {
                    files[Path.GetFileName(file)] = await File.ReadAllBytesAsync(file);
                }
                var again = Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
                return again.Count == files.Count && again.All(f => files.TryGetValue(f.Key, out var read) && read.Length == f.Value) ? files : null;
            }
            catch (FileNotFoundException)
            {
                return null; // a write-ahead log removed while listed: read again
            }
        },
        files => files is not null, _ => "the data folder kept changing after the host stopped", TimeSpan.FromSeconds(10)))!;

    /// <summary>In UTF-8 (SQLite's text) or UTF-16 (anything .NET might dump).</summary>
    private static bool Contains(byte[] content, string secret) =>
        content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0 || content.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) >= 0;

    [GeneratedRegex("Signature=([0-9a-f]{64})")]
    private static partial Regex Signature();

    /// <summary>
    /// The portal with a target of kind Aws served by its own built-in sandbox endpoint (hence a port chosen before it
    /// starts), every log line captured, and every Authorization header it receives recorded.
    /// </summary>
    private sealed class MarkedHost : WebApplicationFactory<Program>
    {
        public const string Target = "marked";

        private readonly int _port = FreePort.Next();

        public MarkedHost()
        {
            DataDirectory = Path.Combine(TempFolder.New("marked"), "data");
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        }

        public string DataDirectory { get; }

        public CapturedLogs Logs { get; } = new();

        public ConcurrentQueue<string> Authorization { get; } = new();

        public ConcurrentQueue<string> SessionTokens { get; } = new();

        public HttpClient Api(string user)
        {
            StartServer();
            return new HttpClient
            {
                BaseAddress = new Uri($"http://127.0.0.1:{_port}/"),
                DefaultRequestHeaders = { Authorization = new("Bearer", $"dev-{user}") },
            };
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(DatabaseConfiguration.DataDirKey, DataDirectory);
            builder.UseSetting("Authentication:Mode", "Development");
            builder.UseSetting("Sandbox:TimeScale", "0.002");
            // The built-in sandbox stands in for the account the marker credentials belong to.
            builder.UseSetting("Sandbox:AccessKeyId", AccessKeyId);
            builder.UseSetting("Sandbox:SecretAccessKey", SecretAccessKey);
            builder.UseSetting("StackEvents:ActiveInterval", "00:00:00.100");
            builder.UseSetting("StackEvents:QuietInterval", "00:00:00.300");
            builder.UseSetting($"Targets:{Target}:Kind", "Aws");
            builder.UseSetting($"Targets:{Target}:Region", "us-east-1");
            builder.UseSetting($"Targets:{Target}:ServiceUrl", $"http://127.0.0.1:{_port}/sandbox/cloudformation");
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(Logs);
                logging.AddFilter<CapturedLogs>(null, LogLevel.Trace);
            });
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter>(_ => new RecordAuthorization(this)));
        }

        private sealed class RecordAuthorization(MarkedHost host) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
                {
                    foreach (var value in context.Request.Headers.Authorization)
                    {
                        host.Authorization.Enqueue(value!);
                    }
                    foreach (var value in context.Request.Headers["X-Amz-Security-Token"])
                    {
                        host.SessionTokens.Enqueue(value!);
                    }
                    return nextMiddleware(context);
                });
                next(app);
            };
        }
    }
}
