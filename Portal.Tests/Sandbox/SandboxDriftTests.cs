using Portal.Infra.CloudFormation;

namespace Portal.Tests.Sandbox;

/// <summary>Drift detection in the sandbox, through the portal's own client: changes made outside CloudFormation are found.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxDriftTests : IAsyncLifetime
{
    private const string StackName = "orders-dev";
    private const string Service = "FrontendService9F8E7D6C";
    private SandboxTestHost _host = null!;
    private CloudFormationClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxTestHost.StartAsync();
        _client = _host.Server.Client();
        await _host.DeployAsync(StackName, TwoTierTemplate.Json(desiredCount: 2));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<DescribeStackDriftDetectionStatusResponse> DetectAsync()
    {
        var started = await _client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = StackName });
        return await SandboxApi.PollAsync(
            () => _client.DescribeStackDriftDetectionStatusAsync(new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = started.StackDriftDetectionId }),
            status => status.IsFinished);
    }

    [Fact]
    public async Task AStackNobodyTouchedIsInSyncWithEveryResourceChecked()
    {
        var status = await DetectAsync();

        Assert.Equal(StackDriftDetectionStatus.Complete, status.DetectionStatus);
        Assert.Equal(StackDriftStatus.InSync, status.StackDriftStatus);
        Assert.Equal(0, status.DriftedStackResourceCount);
        var drifts = await _client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest { StackName = StackName });
        Assert.Contains(drifts.StackResourceDrifts, d => d.LogicalResourceId == Service);
        Assert.All(drifts.StackResourceDrifts, d => Assert.Equal(StackResourceDriftStatus.InSync, d.StackResourceDriftStatus));
    }

    [Fact]
    public async Task APropertyChangedOutsideCloudFormationIsReportedModifiedWithExpectedAndActualValues()
    {
        _host.Server.CloudFormation.Drift(StackName, Service, "/DesiredCount", "5");
        _host.Server.CloudFormation.Drift(StackName, Service, "/HealthCheckGracePeriodSeconds", "30");
        _host.Server.CloudFormation.DeleteOutOfBand(StackName, "Vpc8378EB38");

        var status = await DetectAsync();

        Assert.Equal(StackDriftStatus.Drifted, status.StackDriftStatus);
        Assert.Equal(2, status.DriftedStackResourceCount);
        var drifted = (await _client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest
        {
            StackName = StackName,
            StackResourceDriftStatusFilters = [StackResourceDriftStatus.Modified, StackResourceDriftStatus.Deleted],
        })).StackResourceDrifts.ToDictionary(d => d.LogicalResourceId);
        Assert.Equal([Service, "Vpc8378EB38"], drifted.Keys.Order());
        var service = drifted[Service];
        Assert.Equal(StackResourceDriftStatus.Modified, service.StackResourceDriftStatus);
        Assert.Equal("AWS::ECS::Service", service.ResourceType);
        Assert.Contains("\"DesiredCount\":2", service.ExpectedProperties);
        Assert.Contains("\"DesiredCount\":5", service.ActualProperties);
        Assert.Equal(
            [new PropertyDifference { PropertyPath = "/DesiredCount", ExpectedValue = "2", ActualValue = "5", DifferenceType = DifferenceType.NotEqual },
             new PropertyDifference { PropertyPath = "/HealthCheckGracePeriodSeconds", ExpectedValue = "null", ActualValue = "30", DifferenceType = DifferenceType.Add }],
            service.PropertyDifferences);
        Assert.Equal(StackResourceDriftStatus.Deleted, drifted["Vpc8378EB38"].StackResourceDriftStatus);
        Assert.Null(drifted["Vpc8378EB38"].ActualProperties);
        var stack = await _host.Api.DescribeStackAsync(StackName);
        Assert.Equal("DRIFTED", stack.Element(SandboxApi.Ns + "DriftInformation")!.Element(SandboxApi.Ns + "StackDriftStatus")!.Value);
    }

    [Fact]
    public async Task ResultsPageWithNextTokenWithoutRepeatingAResource()
    {
        var status = await DetectAsync();
        var all = new List<StackResourceDrift>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.DescribeStackResourceDriftsAsync(new DescribeStackResourceDriftsRequest { StackName = StackName, MaxResults = 3, NextToken = token });
            all.AddRange(page.StackResourceDrifts);
            token = page.NextToken;
            pages++;
        }
        while (token is not null);

        Assert.True(pages > 1);
        Assert.Equal(all.Count, all.Select(d => d.LogicalResourceId).Distinct().Count());
        Assert.Equal(StackDriftStatus.InSync, status.StackDriftStatus);
    }

    [Fact]
    public async Task BadInputIsRefusedClearly()
    {
        var unknownStack = await Assert.ThrowsAsync<CloudFormationException>(() =>
            _client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = "nope" }));
        var unknownResource = await Assert.ThrowsAsync<CloudFormationException>(() =>
            _client.DetectStackDriftAsync(new DetectStackDriftRequest { StackName = StackName, LogicalResourceIds = ["Nope"] }));
        var control = Assert.Throws<ArgumentException>(() => _host.Server.CloudFormation.Drift(StackName, "Nope", "/DesiredCount", "1"));
        var path = Assert.Throws<ArgumentException>(() => _host.Server.CloudFormation.Drift(StackName, Service, "DesiredCount", "1"));

        Assert.Equal("ValidationError", unknownStack.ErrorCode);
        Assert.Contains("nope", unknownStack.Message);
        Assert.Contains("Nope", unknownResource.Message);
        Assert.StartsWith("logicalId:", control.Message);
        Assert.StartsWith("propertyPath:", path.Message);
    }
}
