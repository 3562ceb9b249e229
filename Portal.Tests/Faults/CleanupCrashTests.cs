using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Jobs.Revisions;
using Portal.Tests.Api;
using Portal.Tests.Cleanup;

namespace Portal.Tests.Faults;

/// <summary>
/// The portal process is killed (SIGKILL) after a withdrawal was saved and before its cleanup reached CloudFormation;
/// once it runs again, the withdrawn create's change set and REVIEW_IN_PROGRESS stack are deleted.
/// </summary>
[Trait(Lanes.Category, Lanes.Faults)]
public sealed class CleanupCrashTests : IAsyncLifetime
{
    private const string Name = "crash-cleanup";
    private readonly string _root = TempFolder.New("cleanup-crash");
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.01 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        TempFolder.Delete(_root);
    }

    [Fact]
    public async Task ACleanupCutOffByACrashIsDoneAfterTheRestart()
    {
        var settings = await PortalHost.SettingsAsync(Path.Combine(_root, "data"), _sandbox.Url);
        PortalProcess? portal = await PortalProcess.StartAsync(settings);
        try
        {
            using (var alice = portal.Api("alice"))
            {
                using var submitted = await alice.PostAsync("/api/environments", ApiClient.Json(ApiClient.SpecJson(Name)));
                Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
                await Poll.UntilAsync(async () => await PortalData.StatusAsync(settings, Name, 1) == RevisionStatus.AwaitingApproval,
                    "the create to be planned", 180);
                var held = _sandbox.CloudFormation.PauseAtAsync(c => c.Action is "DescribeChangeSet" or "DeleteChangeSet" or "DeleteStack");
                using var withdrawn = await alice.PostAsync($"/api/environments/{Name}/revisions/1/cancel", null);
                Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
                await held.WaitAsync(TimeSpan.FromSeconds(90));
            }

            portal.Kill();
            _sandbox.CloudFormation.Resume();
            var changeSet = await ChangeSetAsync(settings);
            Assert.True(await CleanupProbe.ChangeSetExistsAsync(_sandbox, changeSet));
            Assert.Equal(StackStatus.ReviewInProgress, await CleanupProbe.StackStatusAsync(_sandbox, $"portal-{Name}"));
            portal.Dispose();
            portal = null; // a restart that fails must report its own error, not a second dispose
            portal = await PortalProcess.StartAsync(PortalProcess.Restarting(settings));

            await Poll.UntilAsync(async () => await CleanupProbe.StackStatusAsync(_sandbox, $"portal-{Name}") is null,
                "the stack to be deleted after the restart", 120);
            Assert.False(await CleanupProbe.ChangeSetExistsAsync(_sandbox, changeSet));
            await Poll.UntilAsync(async () => await DoneAsync(settings), "the cleanup to be marked done");
        }
        catch (Exception e)
        {
            throw new Exception($"{e.Message}\nsandbox calls: {string.Join(", ", _sandbox.CloudFormation.CallCounts.Select(c => $"{c.Key} {c.Value}"))}\n" +
                                $"portal output:\n{portal?.Output}", e);
        }
        finally
        {
            portal?.Dispose();
        }
    }

    private static async Task<string> ChangeSetAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var db = PortalData.Open(settings);
        return await db.Revisions.Where(r => r.Environment.Name == Name && r.Number == 1).Select(r => r.ChangeSetId!).SingleAsync();
    }

    private static async Task<bool> DoneAsync(IReadOnlyDictionary<string, string> settings)
    {
        await using var db = PortalData.Open(settings);
        return await db.StackCleanups.AnyAsync() && await db.StackCleanups.AllAsync(c => c.DoneAt != null);
    }
}
