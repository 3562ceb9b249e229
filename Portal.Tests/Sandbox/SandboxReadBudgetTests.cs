using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portal.Sandbox;

namespace Portal.Tests.Sandbox;

/// <summary>CloudFormation's read budget: a token bucket on the sandbox's simulated clock, answered beyond as AWS throttles.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class SandboxReadBudgetTests
{
    [Fact]
    public async Task ReadsBeyondTheRateAndBurstAreThrottledAndTheBudgetRefillsWithTheClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SandboxTestHost.StartAsync(clock, o => o.ReadBudget = new ReadBudgetOptions { RatePerSecond = 5, Burst = 10 });
        var cloudFormation = host.Server.CloudFormation;

        for (var i = 0; i < 10; i++)
            await host.Api.CallAsync("DescribeStacks");
        var throttled = await host.Api.ErrorAsync("DescribeStacks");
        Assert.Equal((HttpStatusCode.BadRequest, "Sender", "Throttling", "Rate exceeded"), (throttled.Status, throttled.Type, throttled.Code, throttled.Message));
        Assert.Equal("Throttling", (await host.Api.ErrorAsync("DescribeStackEvents", ("StackName", "none"))).Code);
        Assert.Equal((1, 1), (cloudFormation.ThrottledCount("DescribeStacks"), cloudFormation.ThrottledCount("DescribeStackEvents")));

        // Writes are not reads: the empty bucket does not hold them back.
        await host.Api.CreateChangeSetAsync("orders", "create", SandboxQueues.SmallTemplate);

        clock.Advance(TimeSpan.FromSeconds(1)); // 5 more
        for (var i = 0; i < 5; i++)
            await host.Api.CallAsync("DescribeStacks");
        Assert.Equal("Throttling", (await host.Api.ErrorAsync("DescribeStacks")).Code);
        Assert.Equal(2, cloudFormation.ThrottledCount("DescribeStacks"));

        clock.Advance(TimeSpan.FromMinutes(1)); // full again, and no fuller than the burst
        for (var i = 0; i < 10; i++)
            await host.Api.CallAsync("DescribeStacks");
        Assert.Equal("Throttling", (await host.Api.ErrorAsync("DescribeStacks")).Code);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(0.002, 2500)]
    public void TheRateIsScaledByTheTimeScaleAsEverySimulatedDurationIs(double timeScale, int perClockSecond)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var budget = new ReadBudget(new ReadBudgetOptions { RatePerSecond = 5, Burst = 10_000 }, timeScale, clock);
        while (budget.TryTake())
        {
        }
        clock.Advance(TimeSpan.FromSeconds(1));
        var taken = 0;
        while (budget.TryTake())
            taken++;
        Assert.Equal(perClockSecond, taken);
    }

    [Fact]
    public void NoBudgetAtTimeScaleZeroOrRateZero()
    {
        Assert.False(new ReadBudget(new ReadBudgetOptions(), 0, TimeProvider.System).Enabled);
        Assert.False(new ReadBudget(new ReadBudgetOptions { RatePerSecond = 0 }, 1, TimeProvider.System).Enabled);
        Assert.True(new ReadBudget(new ReadBudgetOptions(), 1, TimeProvider.System).Enabled);
    }

    [Theory]
    [InlineData("DescribeStacks", true)]
    [InlineData("ListStacks", true)]
    [InlineData("GetTemplate", true)]
    [InlineData("EstimateTemplateCost", true)]
    [InlineData("DetectStackDrift", false)]
    [InlineData("CreateChangeSet", false)]
    [InlineData("ExecuteChangeSet", false)]
    public void ReadsAreDescribeListGetAndEstimate(string action, bool read) => Assert.Equal(read, ReadBudget.IsRead(action));

    [Fact]
    public void AnInvalidBudgetIsRefusedNamingTheSetting()
    {
        var refused = Assert.Throws<ArgumentException>(() => new SandboxOptions { ReadBudget = { RatePerSecond = 5, Burst = 0 } }.Validate());
        Assert.Contains("Sandbox:ReadBudget:Burst", refused.Message);
        Assert.Contains("Sandbox:ReadBudget:RatePerSecond", Assert.Throws<ArgumentException>(() => new SandboxOptions { ReadBudget = { RatePerSecond = -1 } }.Validate()).Message);
        Assert.Contains("Sandbox:MaxMessagesPerQueue", Assert.Throws<ArgumentException>(() => new SandboxOptions { MaxMessagesPerQueue = 0 }.Validate()).Message);
    }
}
