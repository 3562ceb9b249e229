using System.Text.Json.Nodes;
using Portal.Infra.Deployments;
using Portal.Jobs.Deployments;
using Portal.Jobs.StackEvents;
using Portal.Web.Components.Deployments;

namespace Portal.Tests.Web;

/// <summary>What the live deploy view makes of a revision's plan and stored stack events.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class LiveDeploymentTests
{
    private const string Stack = "portal-orders-dev";

    [Fact]
    public void EveryResourceOfTheStackFallsInTheSeedsGroups()
    {
        var template = JsonNode.Parse(File.ReadAllText(
            Path.Combine(AppContext.BaseDirectory, "Guardrails", "Fixtures", "orders-dev.template.json")))!;
        var groups = template["Resources"]!.AsObject().ToDictionary(r => r.Key, r => ResourceGroups.Of(r.Key));

        Assert.DoesNotContain(ResourceGroups.Other, groups.Values);
        Assert.Equal(ResourceGroups.Network, groups["VpcPublicSubnet1NATGateway4D7517AA"]);
        Assert.Equal(ResourceGroups.PublicAlb, groups["FrontendTargetGroupED7B3E5D"]);
        Assert.Equal(ResourceGroups.PublicAlb, groups["PublicAlbSecurityGroupC0549052"]);
        Assert.Equal(ResourceGroups.Frontend, groups["FrontendServiceBC94BA93"]);
        Assert.Equal(ResourceGroups.Frontend, groups["FrontendTaskExecutionRole408DF79F"]);
        Assert.Equal(ResourceGroups.InternalAlb, groups["BackendTargetGroupECF98930"]);
        Assert.Equal(ResourceGroups.InternalAlb, groups["InternalAlbBackendListenerDF15AF63"]);
        Assert.Equal(ResourceGroups.Backend, groups["BackendLogs21FC23BC"]);
        Assert.Equal(ResourceGroups.Cluster, groups["ClusterEB0386A7"]);
    }

    [Theory]
    [InlineData("FrontendServiceBC94BA93", "FrontendService")]
    [InlineData("VpcIGWD7BA715C", "VpcIGW")]
    [InlineData("Cluster", "Cluster")]
    // A hash-like tail glued to other hex digits is part of the name, not the CDK's suffix.
    [InlineData("PublicAlbSecurityGrouptoFrontend2AEF3FC43000B85E136E", "PublicAlbSecurityGrouptoFrontend2AEF3FC43000B85E136E")]
    public void TheCdksHashSuffixIsLeftOutOfDisplayedNames(string logicalId, string shown) =>
        Assert.Equal(shown, ResourceGroups.ShortName(logicalId));

    [Theory]
    [InlineData("CREATE_COMPLETE", StatusTone.Done)]
    [InlineData("DELETE_COMPLETE", StatusTone.Done)]
    [InlineData("UPDATE_IN_PROGRESS", StatusTone.Working)]
    [InlineData("CREATE_FAILED", StatusTone.Failed)]
    [InlineData("UPDATE_ROLLBACK_FAILED", StatusTone.Failed)]
    [InlineData("ROLLBACK_IN_PROGRESS", StatusTone.RollingBack)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", StatusTone.RollingBack)]
    [InlineData("UPDATE_ROLLBACK_COMPLETE", StatusTone.RollingBack)]
    [InlineData("DELETE_SKIPPED", StatusTone.Neutral)]
    [InlineData(null, StatusTone.Neutral)]
    public void StatusesAreColouredByWhatTheyMean(string? status, StatusTone tone) => Assert.Equal(tone, StatusTones.Of(status));

    [Fact]
    public void ProgressCountsThePlannedResourcesThatSettledAndTheStackStatus()
    {
        var live = new LiveDeployment(Stack, Plan(("VpcA1B2C3D4", "AWS::EC2::VPC"), ("ClusterEB0386A7", "AWS::ECS::Cluster"), ("PublicAlb84330974", "AWS::ElasticLoadBalancingV2::LoadBalancer")));

        live.Add([
            Event(1, Stack, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS"),
            Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"),
            Event(3, "ClusterEB0386A7", "AWS::ECS::Cluster", "CREATE_IN_PROGRESS"),
            Event(4, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE"),
        ]);

        Assert.Equal((1, 3), (live.Settled, live.Total));
        Assert.Equal("CREATE_IN_PROGRESS", live.StackStatus);
        Assert.Null(live.Resource("PublicAlb84330974")!.Status);
        Assert.Equal([4L, 3, 2, 1], live.Events.Select(e => e.Id));
        Assert.Equal([ResourceGroups.Network, ResourceGroups.PublicAlb, ResourceGroups.Cluster], live.Groups.Select(g => g.Key));
    }

    [Fact]
    public void OverlappingReadsAddEachEventOnce()
    {
        var live = new LiveDeployment(Stack, plan: null);

        Assert.True(live.Add([Event(1, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"), Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE")]));
        Assert.False(live.Add([Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE")]));
        Assert.True(live.Add([Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE"), Event(3, Stack, "AWS::CloudFormation::Stack", "CREATE_COMPLETE")]));

        Assert.Equal([3L, 2, 1], live.Events.Select(e => e.Id));
        Assert.Equal(3, live.LastId);
        // Resources the plan did not name still count once they have events.
        Assert.Equal((1, 1), (live.Settled, live.Total));
    }

    [Fact]
    public void AResourceThatFailedAndWasRolledBackStillShowsItFailed()
    {
        var live = new LiveDeployment(Stack, Plan(("FrontendServiceBC94BA93", "AWS::ECS::Service")));

        live.Add([
            Event(1, "FrontendServiceBC94BA93", "AWS::ECS::Service", "UPDATE_IN_PROGRESS"),
            Event(2, "FrontendServiceBC94BA93", "AWS::ECS::Service", "UPDATE_FAILED", "Circuit Breaker was triggered"),
            Event(3, Stack, "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS"),
            Event(4, "FrontendServiceBC94BA93", "AWS::ECS::Service", "UPDATE_COMPLETE"),
        ]);

        var service = live.Resource("FrontendServiceBC94BA93")!;
        Assert.Equal("UPDATE_COMPLETE", service.Status);
        Assert.Equal("UPDATE_FAILED", service.FailedWith);
        Assert.True(service.NeedsAttention);
        Assert.Equal("UPDATE_ROLLBACK_IN_PROGRESS", live.StackStatus);
    }

    [Fact]
    public void PushedEventsThatArriveOutOfOrderAreShownInCloudFormationsOrderAndTheNewestStatusWins()
    {
        var live = new LiveDeployment(Stack, Plan(("VpcA1B2C3D4", "AWS::EC2::VPC")));

        // Ids are arrival order; times are CloudFormation's. The VPC's completion arrived before its start.
        live.Add([
            Event(1, Stack, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", at: 1),
            Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE", at: 5),
            Event(3, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_IN_PROGRESS", at: 2),
            Event(4, Stack, "AWS::CloudFormation::Stack", "CREATE_COMPLETE", at: 6),
            Event(5, Stack, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", at: 1),
        ]);

        Assert.Equal([4L, 2, 3, 5, 1], live.Events.Select(e => e.Id));
        Assert.Equal("CREATE_COMPLETE", live.Resource("VpcA1B2C3D4")!.Status);
        Assert.Equal("CREATE_COMPLETE", live.StackStatus);
        Assert.Equal((1, 1), (live.Settled, live.Total));
    }

    [Fact]
    public void WithinOneSecondASettledStatusIsNotUndoneByItsStartArrivingLate()
    {
        // A pushed event carries EventBridge's whole second: start and end of a quick resource share it.
        var live = new LiveDeployment(Stack, Plan(("VpcA1B2C3D4", "AWS::EC2::VPC")));

        live.Add([Event(1, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_COMPLETE", at: 3), Event(2, "VpcA1B2C3D4", "AWS::EC2::VPC", "CREATE_IN_PROGRESS", at: 3)]);

        Assert.Equal("CREATE_COMPLETE", live.Resource("VpcA1B2C3D4")!.Status);
    }

    [Fact]
    public void AFailedRevisionsReasonSplitsIntoStackStatusRootCauseAndResource()
    {
        var failure = FailureReason.Parse(
            "UPDATE_ROLLBACK_COMPLETE: FrontendServiceBC94BA93 (AWS::ECS::Service): Resource handler returned message: \"Circuit Breaker\"");
        var early = FailureReason.Parse("Change set portal-r2 cannot be executed: its execution status is UNAVAILABLE");

        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", failure.StackStatus);
        Assert.True(failure.RolledBack);
        Assert.Equal("FrontendServiceBC94BA93", failure.LogicalId);
        Assert.StartsWith("FrontendServiceBC94BA93 (AWS::ECS::Service): Resource handler", failure.Cause);
        Assert.Null(early.StackStatus);
        Assert.False(early.RolledBack);
        Assert.Equal("Change set portal-r2 cannot be executed: its execution status is UNAVAILABLE", early.Cause);
    }

    private static RevisionPlan Plan(params (string LogicalId, string Type)[] resources) => new()
    {
        Operation = "CREATE",
        Changes = [.. resources.Select(r => new PlannedChange("Add", r.LogicalId, r.Type, null, []))],
    };

    /// <summary>An event stored <paramref name="id"/>-th, that happened at second <paramref name="at"/> (its id when not given).</summary>
    private static StackEventView Event(long id, string logicalId, string type, string status, string? reason = null, long? at = null) =>
        new(id, 1, $"event-{id}", DateTimeOffset.UnixEpoch.AddSeconds(at ?? id), logicalId, null, type, status, reason);
}
