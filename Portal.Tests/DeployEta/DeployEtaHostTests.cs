using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.Deployments;
using Portal.Sandbox;
using Portal.Tests.Api;

namespace Portal.Tests.DeployEta;

/// <summary>The portal predicts a deploy from the deploys it made to the same target before, and keeps the prediction.</summary>
[Collection(HostCollection.Name)]
[Trait(Lanes.Category, Lanes.Api)]
public sealed class DeployEtaHostTests(PortalHost host)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheSecondDeployToATargetIsPredictedFromTheFirstAndItsPredictionIsKept()
    {
        await host.DeployedForAliceAsync("eta-first");
        var second = await host.RequestedByAliceAsync("eta-second");
        var sandbox = host.Services.GetRequiredService<SandboxCloudFormation>();
        // Hold the second deploy's watcher mid-create, so the revision is seen while it deploys.
        var held = sandbox.PauseAtAsync(c => c.Action == "DescribeStackEvents" && c.StackStatus == StackStatus.CreateInProgress);
        JsonElement deploying;
        try
        {
            using var approved = await host.Api("bob").PostAsync($"/api/environments/{second}/revisions/1/approve", ApiClient.Comment(null));
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            await held.WaitAsync(Deadline);
            deploying = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{second}/revisions/1");
        }
        finally
        {
            sandbox.Resume();
        }
        await host.RevisionReachesAsync(second, 1, "Deployed");
        var deployed = await host.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{second}/revisions/1");

        Assert.Equal("Deploying", deploying.GetProperty("status").GetString());
        var eta = deploying.GetProperty("eta");
        Assert.Equal("History", eta.GetProperty("basis").GetString());
        Assert.Empty(eta.GetProperty("defaultedTypes").EnumerateArray());
        Assert.True(eta.GetProperty("remainingSeconds").GetInt32() >= 0);
        Assert.False(deploying.TryGetProperty("actualDuration", out _));

        Assert.False(deployed.TryGetProperty("eta", out _));
        var predicted = TimeSpan.Parse(deployed.GetProperty("predictedDuration").GetString()!);
        var actual = TimeSpan.Parse(deployed.GetProperty("actualDuration").GetString()!);
        // The sandbox deploys in about a second here; AWS's defaults for a NAT gateway, load balancers and services
        // would predict many minutes: a prediction this short can only come from the first deploy's durations.
        Assert.InRange(predicted, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(deploying.GetProperty("predictedDuration").GetString(), deployed.GetProperty("predictedDuration").GetString());
        Assert.True(actual >= TimeSpan.Zero);
    }
}
