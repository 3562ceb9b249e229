using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Infra.CloudFormation;
using Portal.Infra.Deployments;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Portal.Tests.Hosting;
using Portal.Tests.Sandbox;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>
/// The portal's own sandbox (the development settings' Sandbox target, served by the portal process) keeps its account in
/// the portal's data folder: a portal killed (SIGKILL) and started again finds the stacks it deployed, as it would at AWS.
/// </summary>
[Trait(Lanes.Category, Lanes.Faults)]
// SqliteOnly: the sandbox's account in its own files; the portal's side of a kill runs on PostgreSQL in CrashMatrixTests.
[Trait(Lanes.Database, Lanes.SqliteOnly)]
public sealed class BuiltInSandboxRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = TempFolder.New("builtin-sandbox");
    private Dictionary<string, string> _settings = null!;

    public void Dispose()
    {
        try
        {
            TempFolder.Delete(_root);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }

    [Fact]
    public async Task AnEnvironmentDeployedBeforeARestartIsPlannedAsASmallUpdateAfterIt()
    {
        const string name = "restart-update";
        var portal = await StartAsync(timeScale: 0.01);
        try
        {
            await SubmitAsync(portal, name);
            await ApproveAsync(portal, name, 1);
            await ReachesAsync(name, 1, RevisionStatus.Deployed);

            portal.Kill();
            portal.Dispose();
            portal = await StartAsync(timeScale: 0.01);
            using var alice = portal.Api("alice");
            using var update = await alice.PutAsync($"/api/environments/{name}", ApiClient.Json(ApiClient.SpecJson(name, "1.5.0")));
            Assert.Equal(HttpStatusCode.Accepted, update.StatusCode);
            await ReachesAsync(name, 2, RevisionStatus.AwaitingApproval);

            using var bob = portal.Api("bob");
            var plan = (await bob.GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/2")).GetProperty("plan");
            Assert.Equal("UPDATE", plan.GetProperty("operation").GetString());
            var changes = plan.GetProperty("changes").EnumerateArray()
                .Select(c => $"{c.GetProperty("action").GetString()} {c.GetProperty("type").GetString()}").Order().ToList();
            Assert.Equal(["Modify AWS::ECS::Service", "Modify AWS::ECS::TaskDefinition"], changes);
        }
        catch (Exception e)
        {
            throw new Exception($"{e.Message}\nportal output:\n{portal.Output}", e);
        }
        finally
        {
            portal.Dispose();
        }
    }

    [Fact]
    public async Task ADeployWhosePortalIsKilledMidwayIsDeployedAfterTheRestartWithEachEventOnce()
    {
        const string name = "restart-deploy";
        // A create takes about 11 s at 0.05: time to be killed with some events stored and more to come.
        var portal = await StartAsync(timeScale: 0.05);
        try
        {
            await SubmitAsync(portal, name);
            await ApproveAsync(portal, name, 1);
            await Poll.UntilAsync(async () => (await PortalData.StackEventsAsync(_settings, name)).Count >= 5, "the deploy's first events to be stored", 180);

            portal.Kill();
            Assert.Equal(RevisionStatus.Deploying, await PortalData.StatusAsync(_settings, name, 1));
            var storedAtKill = (await PortalData.StackEventsAsync(_settings, name)).Count;
            portal.Dispose();
            portal = await StartAsync(timeScale: 0.05);
            await ReachesAsync(name, 1, RevisionStatus.Deployed);

            using var sandbox = CloudFormationClient.Create(new Uri(portal.BaseAddress, "sandbox/cloudformation"),
                SandboxSigning.DevelopmentCredentials, "us-east-1");
            var raised = await AllEventIdsAsync(sandbox, $"portal-{name}");
            var stored = (await PortalData.StackEventsAsync(_settings, name)).Select(e => e.EventId).ToList();
            output.WriteLine($"{storedAtKill} of {raised.Count} events stored at the kill");
            Assert.InRange(storedAtKill, 1, raised.Count - 1);
            Assert.Equal(stored.Count, stored.Distinct().Count());
            Assert.Equal(raised.Order(), stored.Order());
            Assert.Equal(StackStatus.CreateComplete,
                (await sandbox.DescribeStacksAsync(new DescribeStacksRequest { StackName = $"portal-{name}" })).Stacks.Single().StackStatus);
        }
        catch (Exception e)
        {
            throw new Exception($"{e.Message}\nportal output:\n{portal.Output}", e);
        }
        finally
        {
            portal.Dispose();
        }
    }

    /// <summary>
    /// The portal on this test's data folder with the development settings' own Sandbox target (no ServiceUrl). A restart
    /// keeps the settings: on PostgreSQL each call of <see cref="PortalHost.SettingsAsync"/> hands out a new database.
    /// </summary>
    private async Task<PortalProcess> StartAsync(double timeScale)
    {
        if (_settings is null)
            _settings = await PortalHost.SettingsAsync(Path.Combine(_root, "data"), sandbox: null);
        _settings["Sandbox:TimeScale"] = timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await PortalProcess.StartAsync(_settings);
    }

    private static async Task SubmitAsync(PortalProcess portal, string name)
    {
        using var api = portal.Api("alice");
        using var submitted = await api.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(name)));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
    }

    private async Task ApproveAsync(PortalProcess portal, string name, int revision)
    {
        await ReachesAsync(name, revision, RevisionStatus.AwaitingApproval);
        using var api = portal.Api("bob");
        using var approved = await api.PostAsync($"/api/environments/{name}/revisions/{revision}/approve", ApiClient.Comment(null));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    private Task ReachesAsync(string name, int revision, RevisionStatus status) =>
        Poll.UntilAsync(async () => await PortalData.StatusAsync(_settings, name, revision) == status,
            $"revision {revision} of {name} to be {status}", 180);

    private static async Task<List<string>> AllEventIdsAsync(CloudFormationClient client, string stackName)
    {
        var ids = new List<string>();
        string? next = null;
        do
        {
            var page = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackName, NextToken = next });
            ids.AddRange(page.StackEvents.Select(e => e.EventId));
            next = page.NextToken;
        } while (next is not null);
        return ids;
    }
}
