using System.Net;
using System.Net.Http.Headers;

namespace Portal.Tests.Support;

/// <summary>
/// The portal as scripts/run.sh runs it (<c>dotnet Portal.Web.dll --urls …</c>), in an OS process of its own, so a test can
/// kill it with SIGKILL: no shutdown hook, no flushed state, exactly a crash. Settings go in as environment variables.
/// </summary>
internal sealed class PortalProcess : IDisposable
{
    private readonly ChildProcess _process;
    private readonly bool _https;

    private PortalProcess(ChildProcess process, bool https)
    {
        _process = process;
        _https = https;
    }

    /// <summary>Where the portal listens, e.g. http://127.0.0.1:41234/; known once it started.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>What the process wrote, for a failure message.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// <paramref name="settings"/> for a restart after a kill: the restarted portal finishes what was going on and
    /// rarely plans again, so it does not start jsii's Node and the CDK ahead of time (several seconds of CPU, on a
    /// machine other tests share); a plan it does make synthesizes cold.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Restarting(IReadOnlyDictionary<string, string> settings) =>
        new Dictionary<string, string>(settings) { ["Jobs:WarmUpSynthesizer"] = "false" };

    /// <summary>
    /// Starts the portal built beside this test assembly in <paramref name="environment"/>, on loopback <paramref name="port"/>
    /// (0: one the portal's own listener gets from the system), and waits until its API answers. With <paramref name="https"/>
    /// it serves HTTPS with that certificate, and its own calls trust that authority only (<c>SSL_CERT_FILE</c>), as a
    /// company's servers trust its own.
    /// </summary>
    /// <remarks>
    /// Port 0 goes to the portal as it is: a port chosen here and released for the child to bind was once taken in the
    /// seconds the child took to start (address already in use, on a restart under load).
    /// </remarks>
    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings,
        string environment = "Development", CertificateFiles? https = null, int port = 0)
    {
        var scheme = https is null ? "http" : "https";
        var start = ChildProcess.Dotnet(Checkout.Assembly("Portal.Web"), settings);
        start.Environment.TryAdd("Logging__LogLevel__Default", "Warning");
        // The host's "Now listening on: <address>" line says which port the system gave it.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"{scheme}://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        if (https is not null)
        {
            start.Environment["Kestrel__Certificates__Default__Path"] = https.Certificate;
            start.Environment["Kestrel__Certificates__Default__KeyPath"] = https.Key;
            start.Environment["SSL_CERT_FILE"] = https.Authority;
        }

        var portal = new PortalProcess(ChildProcess.Start(start), https is not null);
        try
        {
            portal.BaseAddress = await portal.ListeningAsync();
            await portal.WaitUntilServingAsync();
        }
        catch
        {
            portal.Dispose(); // a portal that never served must not outlive the test
            throw;
        }
        return portal;
    }

    /// <summary>A client for the API as development user <paramref name="user"/> (<c>Bearer dev-&lt;user&gt;</c>).</summary>
    public HttpClient Api(string user)
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"dev-{user}");
        return client;
    }

    /// <summary>An anonymous client; over HTTPS it trusts the test authority.</summary>
    public HttpClient Client() => new(_https ? TestCertificates.Trusting() : new HttpClientHandler()) { BaseAddress = BaseAddress };

    /// <summary>SIGKILL, the node (jsii) child included; returns once the process is gone.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();

    /// <summary>The address the portal said it listens on; fails with its output if it exits or stays silent.</summary>
    private async Task<Uri> ListeningAsync() =>
        (await Poll.UntilAsync(() =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}:\n{Output}");
            const string marker = "Now listening on: ";
            var line = Output.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            return Task.FromResult(line is null ? null : new Uri(line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim() + "/"));
        }, address => address is not null, _ => $"The portal did not say where it listens within 120 s:\n{Output}", TimeSpan.FromSeconds(120)))!;

    private async Task WaitUntilServingAsync()
    {
        using var api = Api("dana");
        await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}:\n{Output}");
            try
            {
                // 200 with development sign-in; 401 when sign-in is OpenID Connect, where a development token is nobody.
                using var response = await api.GetAsync("/api/environments");
                return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, done => done, _ => $"The portal did not answer within 120 s:\n{Output}", TimeSpan.FromSeconds(120));
    }
}
