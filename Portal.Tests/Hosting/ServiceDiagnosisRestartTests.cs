using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Sandbox;
using Portal.Tests.Api;
using Portal.Tests.Environments;
using Portal.Tests.ServiceHealth;

namespace Portal.Tests.Hosting;

/// <summary>A failed deploy's reading is stored with its revision: after a restart the API shows what it showed before.</summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class ServiceDiagnosisRestartTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private readonly string _dataDirectory = Path.Combine(TempFolder.New("diagnosis"), "data");

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeScale = 0.002 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(Path.GetDirectoryName(_dataDirectory)!);
    }

    [Fact]
    public async Task AFailedDeploysCauseAndReadingAreTheSameAfterARestart()
    {
        var settings = await PortalHost.SettingsAsync(_dataDirectory, _sandbox.Url);
        var name = PortalHost.UniqueName("diagnosed");
        JsonElement before;
        await using (var first = PortalHost.OnData(settings))
        {
            await first.SubmitAndApproveAsync(ServiceDiagnosisJobTests.Failing(SpecSamples.Load(SpecSamples.OrdersDev) with { Name = name }, "backend", "fail-exit"));
            await first.RevisionReachesAsync(name, 1, "Failed");
            before = await first.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/1");
        }

        await using var second = PortalHost.OnData(settings);
        var after = await second.Api("carol").GetFromJsonAsync<JsonElement>($"/api/environments/{name}/revisions/1");

        Assert.StartsWith("backend: container exited with code 1; last log line: ", before.GetProperty("cause").GetString());
        Assert.Equal(before.GetProperty("cause").GetString(), after.GetProperty("cause").GetString());
        Assert.Equal(before.GetProperty("statusReason").GetString(), after.GetProperty("statusReason").GetString());
        Assert.Equal(before.GetProperty("diagnosis").GetRawText(), after.GetProperty("diagnosis").GetRawText());
        // The failing service by name: the frontend's service is in the reading only if CloudFormation had made it before
        // the backend's failure rolled the stack back, which depends on timing.
        var backend = Assert.Single(after.GetProperty("diagnosis").GetProperty("services").EnumerateArray(),
            s => s.GetProperty("component").GetString() == "backend");
        Assert.NotEmpty(backend.GetProperty("logLines").EnumerateArray());
    }
}
