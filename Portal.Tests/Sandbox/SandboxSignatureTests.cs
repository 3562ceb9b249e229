using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Infra;
using Portal.Infra.CloudFormation;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>
/// The sandbox answers only requests signed (SigV4) with its own configured credentials, as CloudFormation answers
/// only its account's: a forged or stale signature, a wrong secret, an unknown key or a body changed after signing is
/// refused with AWS's 403 and changes nothing.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed partial class SandboxSignatureTests
{
    private const string Topic = """{ "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } } }""";

    private static readonly SigV4TestSuite Suite = JsonSerializer.Deserialize<SigV4TestSuite>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sandbox", "Fixtures", "sigv4-test-suite.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public static TheoryData<string> SuiteVectors
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var vector in Suite.Vectors)
                names.Add(vector.Name);
            return names;
        }
    }

    [Theory]
    [MemberData(nameof(SuiteVectors))]
    public void TheSignatureIsComputedAsAWSSigV4TestSuiteComputesIt(string name)
    {
        var vector = Suite.Vectors.Single(v => v.Name == name);
        var authorization = AuthorizationHeader().Match(vector.Authorization);
        var headers = vector.Headers.Select(h => h.Split(':', 2)).ToLookup(h => h[0].ToLowerInvariant(), h => h[1]);

        var canonical = SigV4.CanonicalRequest(vector.Method, vector.Path, vector.Query, n => headers[n],
            authorization.Groups["headers"].Value.Split(';'), SigV4.Hash(System.Text.Encoding.UTF8.GetBytes(vector.Body)));
        var stringToSign = SigV4.StringToSign(headers["x-amz-date"].Single(), authorization.Groups["scope"].Value, canonical);
        var signature = SigV4.Signature(Suite.SecretAccessKey, authorization.Groups["date"].Value, Suite.Region, Suite.Service, stringToSign);

        Assert.Equal(vector.CanonicalRequest, canonical);
        Assert.Equal(vector.StringToSign, stringToSign);
        Assert.Equal(authorization.Groups["signature"].Value, signature);
        Assert.NotEqual(signature, SigV4.Signature(Suite.SecretAccessKey + "x", authorization.Groups["date"].Value, Suite.Region, Suite.Service, stringToSign));
    }

    [Fact]
    public async Task ThePortalClientOfASandboxTargetDeploysToASandboxConfiguredWithTheSameCredentials()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:TimeScale"] = "0.001",
            ["Sandbox:AccessKeyId"] = "AKIDCONFIGUREDSANDBOX",
            ["Sandbox:SecretAccessKey"] = "configured-sandbox-secret",
            ["Targets:sandbox:Kind"] = "Sandbox",
        }).Build();
        await using var sandbox = await SandboxServer.StartAsync(configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()!, CancellationToken.None);
        configuration["Targets:sandbox:ServiceUrl"] = sandbox.Url.ToString();
        await using var services = new ServiceCollection().AddPortalInfra(configuration).BuildServiceProvider();
        var client = services.GetRequiredService<ICloudFormationFactory>().For("sandbox");
        using var withDefaults = CloudFormationClient.Create(sandbox.Url, SandboxSigning.DevelopmentCredentials, "us-east-1");

        var created = await client.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = "signed",
            ChangeSetName = "create",
            ChangeSetType = ChangeSetType.Create,
            TemplateBody = Topic,
        });
        await SandboxApi.PollAsync(() => client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = created.Id }),
            c => c.Status == "CREATE_COMPLETE");
        await client.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = created.Id });
        var stack = await SandboxApi.PollAsync(async () => (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "signed" })).Stacks.Single(),
            s => s.StackStatus == "CREATE_COMPLETE");
        var refused = await Assert.ThrowsAsync<CloudFormationException>(() => withDefaults.DescribeStacksAsync(new DescribeStacksRequest { StackName = "signed" }));

        Assert.Equal("CREATE_COMPLETE", stack.StackStatus);
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidClientTokenId"), (refused.StatusCode, refused.ErrorCode));
    }

    [Fact]
    public async Task ASandboxTargetWithoutCredentialsConfiguredSignsWithWhatASandboxWithoutThemVerifies()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.001 }, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Targets:sandbox:Kind"] = "Sandbox",
            ["Targets:sandbox:ServiceUrl"] = sandbox.Url.ToString(),
        }).Build();
        await using var services = new ServiceCollection().AddPortalInfra(configuration).BuildServiceProvider();

        var error = await Assert.ThrowsAsync<CloudFormationException>(() =>
            services.GetRequiredService<ICloudFormationFactory>().For("sandbox").DescribeStacksAsync(new DescribeStacksRequest { StackName = "none" }));

        // Answered by the simulation, so the signature was accepted.
        Assert.Equal(("ValidationError", "Stack with id none does not exist"), (error.ErrorCode, error.ErrorMessage));
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "a signature of 64 zeros", "SignatureDoesNotMatch" },
        { "the right access key with a wrong secret", "SignatureDoesNotMatch" },
        { "an access key the sandbox does not know", "InvalidClientTokenId" },
        { "a body changed after signing", "SignatureDoesNotMatch" },
        { "a signed header changed after signing", "SignatureDoesNotMatch" },
        { "a date 16 minutes behind the sandbox's clock", "RequestExpired" },
        { "a date 16 minutes ahead of the sandbox's clock", "RequestExpired" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ADeleteStackWithAForgedSignatureIsForbiddenAndDeletesNothing(string forgery, string expectedCode)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(clock);
        await host.Api.CreateChangeSetAsync("keep-aaaa", "create", Topic);
        await host.Api.CreateChangeSetAsync("keep-bbbb", "create", Topic);
        var options = host.Server.CloudFormation.Options;
        Func<HttpRequestMessage, Task> alter = forgery switch
        {
            "a signature of 64 zeros" => request => Replace(request, "Authorization", Signature().Replace(request.Headers.GetValues("Authorization").Single(), "Signature=" + new string('0', 64))),
            "the right access key with a wrong secret" => request => SandboxSigning.SignAsync(request, new BasicAWSCredentials(options.AccessKeyId, "guessed"), clock.GetUtcNow()),
            "an access key the sandbox does not know" => request => SandboxSigning.SignAsync(request, new BasicAWSCredentials("AKIDSOMEONEELSE00000", options.SecretAccessKey), clock.GetUtcNow()),
            // Same length, so that only the bytes differ: the request now names the other stack.
            "a body changed after signing" => async request => request.Content = new StringContent(
                (await request.Content!.ReadAsStringAsync()).Replace("keep-aaaa", "keep-bbbb", StringComparison.Ordinal),
                System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
            "a signed header changed after signing" => request => Replace(request, "X-Amz-Date", clock.GetUtcNow().AddSeconds(1).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            "a date 16 minutes behind the sandbox's clock" => request => SandboxSigning.SignAsync(request, SandboxSigning.Credentials(options), clock.GetUtcNow().AddMinutes(-16)),
            "a date 16 minutes ahead of the sandbox's clock" => request => SandboxSigning.SignAsync(request, SandboxSigning.Credentials(options), clock.GetUtcNow().AddMinutes(16)),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        var (status, body) = await host.Api.SendAsync("DeleteStack", [("StackName", "keep-aaaa")], alter);
        var calls = host.Server.CloudFormation.CallCount("DeleteStack");

        var error = SandboxApi.ParseError(status, body);
        Assert.Equal((HttpStatusCode.Forbidden, "Sender", expectedCode), (error.Status, error.Type, error.Code));
        Assert.Equal(0, calls);
        Assert.Equal("REVIEW_IN_PROGRESS", SandboxApi.Status(await host.Api.DescribeStackAsync("keep-aaaa")));
        Assert.Equal("REVIEW_IN_PROGRESS", SandboxApi.Status(await host.Api.DescribeStackAsync("keep-bbbb")));
    }

    [Fact]
    public async Task ADateWithin15MinutesOfTheSandboxClockEitherWayIsAccepted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(clock);
        var credentials = SandboxSigning.Credentials(host.Server.CloudFormation.Options);

        var behind = await host.Api.SendAsync("DescribeStacks", [], r => SandboxSigning.SignAsync(r, credentials, clock.GetUtcNow().AddMinutes(-14)));
        var ahead = await host.Api.SendAsync("DescribeStacks", [], r => SandboxSigning.SignAsync(r, credentials, clock.GetUtcNow().AddMinutes(14)));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (behind.Status, ahead.Status));
    }

    [Fact]
    public async Task TheExpiredAnswerSaysByTheSandboxClockHowTheDateIsOff()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(clock);
        var credentials = SandboxSigning.Credentials(host.Server.CloudFormation.Options);

        var (status, body) = await host.Api.SendAsync("DescribeStacks", [], r => SandboxSigning.SignAsync(r, credentials, clock.GetUtcNow().AddHours(-1)));

        Assert.Equal("Signature expired: 20250601T110000Z is now earlier than 20250601T114500Z (20250601T120000Z - 15 min.)",
            SandboxApi.ParseError(status, body).Message);
    }

    public static TheoryData<string, HttpStatusCode, string> RefusedUnread => new()
    {
        { "an access key the sandbox does not know", HttpStatusCode.Forbidden, "InvalidClientTokenId" },
        { "a stale date", HttpStatusCode.Forbidden, "RequestExpired" },
        { "a Content-Length over Sandbox:MaxRequestBytes", HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge" },
    };

    /// <summary>
    /// Only the request's headers are sent, never the body they announce: an answer at all proves the sandbox refused
    /// the request without reading any of it.
    /// </summary>
    [Theory]
    [MemberData(nameof(RefusedUnread))]
    public async Task ARequestThatCannotBeAnsweredIsRefusedBeforeItsBodyIsRead(string what, HttpStatusCode expectedStatus, string expectedCode)
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var request = await host.Api.SignedRequestAsync("DescribeStacks", []);
        if (what == "an access key the sandbox does not know")
            await SandboxSigning.SignAsync(request, new BasicAWSCredentials("AKIDSOMEONEELSE00000", "secret"), DateTimeOffset.UtcNow);
        else if (what == "a stale date")
            await SandboxSigning.SignAsync(request, host.Api.Credentials, DateTimeOffset.UtcNow.AddHours(-1));

        var (status, body) = await HeadersOnlyAsync(request, contentLength: what.StartsWith("a Content-Length", StringComparison.Ordinal) ? 4_000_000 : 1_000)
            .WaitAsync(TimeSpan.FromSeconds(60));

        var error = SandboxApi.ParseError(status, System.Xml.Linq.XElement.Parse(body));
        Assert.Equal((expectedStatus, expectedCode), (error.Status, error.Code));
    }

    [Fact]
    public async Task AChunkedBodyIsRefusedOnceItPassesMaxRequestBytes()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var request = await host.Api.SignedRequestAsync("DescribeStacks", []);
        request.Content = new ChunkedContent(4_000_000);

        using var http = new HttpClient();
        using var response = await http.SendAsync(request);

        var error = SandboxApi.ParseError(response.StatusCode, System.Xml.Linq.XElement.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge"), (error.Status, error.Code));
        Assert.Contains("1,048,576 bytes (Sandbox:MaxRequestBytes)", error.Message);
    }

    private static Task Replace(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
        return Task.CompletedTask;
    }

    [GeneratedRegex("Signature=[0-9a-f]{64}")]
    private static partial Regex Signature();

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=[^/]+/(?<scope>(?<date>\d{8})/[^,]+), SignedHeaders=(?<headers>[^,]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    /// <summary>A body of <paramref name="length"/> bytes sent without a Content-Length (chunked).</summary>
    private sealed class ChunkedContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = System.Text.Encoding.ASCII.GetBytes(new string('a', 16 * 1024));
            for (var left = length; left > 0; left -= chunk.Length)
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
        }

        protected override bool TryComputeLength(out long computed)
        {
            computed = 0;
            return false;
        }
    }

    /// <summary>Sends the request's line and headers over a raw connection, announcing a body it never sends, and reads the answer.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> HeadersOnlyAsync(HttpRequestMessage request, long contentLength)
    {
        var uri = request.RequestUri!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var head = new System.Text.StringBuilder($"{request.Method} {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\n");
        foreach (var (name, values) in request.Headers)
            head.Append($"{name}: {string.Join(",", values)}\r\n");
        head.Append($"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {contentLength}\r\n\r\n");
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head.ToString()));

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var status = (HttpStatusCode)int.Parse((await reader.ReadLineAsync())!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = 0;
        for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync())
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = new char[length];
        await reader.ReadBlockAsync(body);
        return (status, new string(body));
    }

    private sealed record SigV4TestSuite(string AccessKeyId, string SecretAccessKey, string Region, string Service, IReadOnlyList<SigV4Vector> Vectors);

    private sealed record SigV4Vector(
        string Name, string Method, string Path, string Query, IReadOnlyList<string> Headers, string Body,
        string CanonicalRequest, string StringToSign, string Authorization);
}
