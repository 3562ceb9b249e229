using Portal.Infra.ElasticLoadBalancingV2;
using Portal.Tests.CloudFormation;
using static Portal.Tests.Diagnostics.DiagnosticsExamples;

namespace Portal.Tests.Diagnostics;

/// <summary>DescribeTargetHealth against the reference's example: the Query form as sent (API version 2015-12-01), every field read.</summary>
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class TargetHealthProtocolTests
{
    [Fact]
    public async Task DescribeTargetHealthPostsTheQueryFormSignedForElasticLoadBalancingAndReadsTheExample()
    {
        var wire = new WireRecorder(new ScriptedHttp().Reply(DescribeTargetHealthXml));
        using var elb = DiagnosticsWire.ElasticLoadBalancing(wire);

        var response = await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = TargetGroupArn });

        var sent = Assert.Single(wire.Sent);
        Assert.Equal(new Uri("https://elasticloadbalancing.us-west-2.amazonaws.com/"), sent.Uri);
        Assert.Equal(
            new Dictionary<string, string> { ["Action"] = "DescribeTargetHealth", ["Version"] = "2015-12-01", ["TargetGroupArn"] = TargetGroupArn },
            sent.Form);
        Assert.False(sent.Headers.ContainsKey("X-Amz-Target"));
        var scope = WireRecorder.Scope(sent);
        Assert.Equal(("us-west-2", "elasticloadbalancing"), (scope.Groups["region"].Value, scope.Groups["service"].Value));

        Assert.Equal("c534f810-f389-11e5-9192-3fff33344cfa", response.RequestId);
        Assert.Equal(2, response.TargetHealthDescriptions.Count);
        var (unused, healthy) = (response.TargetHealthDescriptions[0], response.TargetHealthDescriptions[1]);
        Assert.Equal(("i-0f76fade", 80), (unused.Target.Id, unused.Target.Port));
        Assert.Null(unused.HealthCheckPort);
        Assert.Equal(TargetHealthState.Unused, unused.TargetHealth.State);
        Assert.Equal("Target.NotInUse", unused.TargetHealth.Reason);
        Assert.Equal("Given target group is not configured to receive traffic from ELB", unused.TargetHealth.Description);
        Assert.Equal("80", healthy.HealthCheckPort);
        Assert.Equal(TargetHealthState.Healthy, healthy.TargetHealth.State);
        Assert.Null(healthy.TargetHealth.Reason);
    }

    [Fact]
    public async Task DescribeTargetHealthOfNamedTargetsSendsThemAsMembersAndReadsWhyOneIsUnhealthy()
    {
        var wire = new WireRecorder(new ScriptedHttp().Reply(UnhealthyTargetXml));
        using var elb = DiagnosticsWire.ElasticLoadBalancing(wire);

        var response = await elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest
        {
            TargetGroupArn = TargetGroupArn,
            Targets = [new TargetDescription { Id = "10.0.3.17", Port = 8080 }, new TargetDescription { Id = "10.0.4.9" }],
        });

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Action"] = "DescribeTargetHealth",
                ["Version"] = "2015-12-01",
                ["TargetGroupArn"] = TargetGroupArn,
                ["Targets.member.1.Id"] = "10.0.3.17",
                ["Targets.member.1.Port"] = "8080",
                ["Targets.member.2.Id"] = "10.0.4.9",
            },
            wire.Sent.Single().Form);
        var target = Assert.Single(response.TargetHealthDescriptions);
        Assert.Equal(("10.0.3.17", 8080, "eu-west-1a"), (target.Target.Id, target.Target.Port, target.Target.AvailabilityZone));
        Assert.Equal(TargetHealthState.Unhealthy, target.TargetHealth.State);
        Assert.Equal("Target.ResponseCodeMismatch", target.TargetHealth.Reason);
        Assert.Equal("Health checks failed with these codes: [404]", target.TargetHealth.Description);
    }

    [Fact]
    public async Task AMemberWithoutItsTargetHealthIsAMalformedReplyOfElasticLoadBalancing()
    {
        var wire = new WireRecorder(new ScriptedHttp().Reply("""
            <DescribeTargetHealthResponse><DescribeTargetHealthResult><TargetHealthDescriptions>
              <member><Target><Id>i-1</Id></Target></member>
            </TargetHealthDescriptions></DescribeTargetHealthResult></DescribeTargetHealthResponse>
            """));
        using var elb = DiagnosticsWire.ElasticLoadBalancing(wire);

        var error = await Assert.ThrowsAsync<Portal.Infra.Aws.AwsServiceException>(
            () => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = TargetGroupArn }));

        Assert.Equal(("Elastic Load Balancing", "DescribeTargetHealth", "MalformedResponse"), (error.Service, error.Action, error.ErrorCode));
        Assert.Contains("<TargetHealth>", error.ErrorMessage);
    }

    [Fact]
    public async Task AMissingTargetGroupIsRefusedBeforeItIsSent()
    {
        var wire = new WireRecorder(new ScriptedHttp().Reply(DescribeTargetHealthXml));
        using var elb = DiagnosticsWire.ElasticLoadBalancing(wire);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => elb.DescribeTargetHealthAsync(new DescribeTargetHealthRequest { TargetGroupArn = "" }));

        Assert.Contains("DescribeTargetHealthRequest.TargetGroupArn", error.Message);
        Assert.Empty(wire.Sent);
    }
}
