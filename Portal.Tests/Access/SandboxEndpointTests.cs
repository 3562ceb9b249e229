using System.Net;
using Portal.Sandbox;
using Portal.Jobs.Data;
using Portal.Tests.Postgres;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Access;

/// <summary>The built-in sandbox endpoint exists only where a Sandbox target needs it.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class SandboxEndpointTests(PortalHost portal)
{
    [Fact]
    public async Task AWebHostWithoutASandboxTargetHasNoSandboxEndpoint()
    {
        var dataDirectory = Path.Combine(TempFolder.New("no-sandbox"), "data");
        var settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync())
        {
            [DatabaseConfiguration.DataDirKey] = dataDirectory,
            ["Authentication:Mode"] = "Development",
            ["Jobs:RunServer"] = "false",
            // The development settings' only target, turned into a real AWS one.
            ["Targets:sandbox:Kind"] = "Aws",
            ["Targets:sandbox:Region"] = "us-east-1",
        };
        try
        {
            await using var host = PortalHost.OnData(settings);

            Assert.Equal(HttpStatusCode.NotFound, await DescribeStacksStatusAsync(host.BaseAddress));
            // The same call to a host with the sandbox target is answered by the sandbox.
            Assert.Equal(HttpStatusCode.OK, await DescribeStacksStatusAsync(portal.BaseAddress));
        }
        finally
        {
            TempFolder.Delete(Path.GetDirectoryName(dataDirectory)!);
        }
    }

    /// <summary>
    /// A CloudFormation call (the Query protocol's GET form, signed with the sandbox's development credentials) to where
    /// the web host maps the sandbox. A POST to a path nothing serves is re-executed at the not-found page, whose
    /// antiforgery check answers 400 instead.
    /// </summary>
    private static async Task<HttpStatusCode> DescribeStacksStatusAsync(Uri host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, SandboxHosting.DefaultPattern + "?Action=DescribeStacks&Version=2010-05-15"));
        await SandboxSigning.SignAsync(request, SandboxSigning.DevelopmentCredentials, DateTimeOffset.UtcNow);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
