using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Infra.Guardrails;
using static Portal.Tests.Guardrails.ChainTemplate;

namespace Portal.Tests.Guardrails;

[Trait(Lanes.Category, Lanes.Unit)]
public class SecurityChainCheckTests
{
    // --- The architecture's chain passes, whatever the spec's ports ---

    [Theory]
    [InlineData("orders-dev")]
    [InlineData("billing-test")]
    public void TheSynthesizedTwoTierTemplatePasses(string fixture)
    {
        var result = SecurityChainCheck.Check(Load(fixture).ToJsonString());

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Findings));
        Assert.Empty(result.Findings);
        Assert.Equal("SecurityChainCheck", result.Name);
    }

    [Fact]
    public void TheCdkNoTrafficPlaceholderIsNoEgressRatherThanARule()
    {
        var template = OrdersDev();
        // What CDK writes for a group with allowAllOutbound off and no egress rule at all.
        template.RemoveResource(template.RuleId(EgressType, InternalAlbGroup, BackendGroup));
        template.AddInline(InternalAlbGroup, "SecurityGroupEgress", new JsonObject
        {
            ["CidrIp"] = "255.255.255.255/32",
            ["Description"] = "Disallow all traffic",
            ["FromPort"] = 252,
            ["IpProtocol"] = "icmp",
            ["ToPort"] = 86,
        });

        var findings = AssertFails(template, InternalAlbGroup,
            "The backend is unreachable: security group " + InternalAlbGroup + " of the internal ALB has no egress rule to the backend tasks on tcp 8080.");
        Assert.Single(findings);
    }

    [Fact]
    public void BackendTasksMaySendAnythingOutThroughTheNat()
    {
        var template = OrdersDev();
        template.Properties(BackendGroup)["SecurityGroupEgress"] = new JsonArray(new JsonObject
        {
            ["CidrIp"] = "0.0.0.0/0",
            ["Description"] = "Allow all outbound traffic by default",
            ["IpProtocol"] = "-1",
        });

        var result = SecurityChainCheck.Check(template);

        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Findings));
    }

    [Fact]
    public void ThePublicAlbMayAdmitIpv6InternetOnPort80()
    {
        var template = OrdersDev();
        template.AddInline(PublicAlbGroup, "SecurityGroupIngress", Tcp(80, 80).With("CidrIpv6", "::/0"));

        Assert.True(SecurityChainCheck.Check(template).Passed);
    }

    // --- Tasks and the internal ALB open to addresses ---

    [Fact]
    public void FrontendTasksOpenToTheInternetFail()
    {
        var template = OrdersDev();
        template.AddInline(FrontendGroup, "SecurityGroupIngress", Tcp(3000, 3000).With("CidrIp", "0.0.0.0/0"));

        var findings = AssertFails(template, FrontendGroup, "Ingress to the frontend tasks from 0.0.0.0/0 (anywhere) on tcp 3000");
        Assert.Contains(findings, f => f.Rule == FrontendGroup && f.Message.Contains("The frontend tasks can be reached from the internet on tcp 3000"));
    }

    [Fact]
    public void BackendTasksOpenToTheIpv6InternetFail()
    {
        var template = OrdersDev();
        template.AddInline(BackendGroup, "SecurityGroupIngress", Tcp(8080, 8080).With("CidrIpv6", "::/0"));

        AssertFails(template, BackendGroup, "from ::/0");
    }

    [Fact]
    public void AnInternalAlbAdmittingTheWholeVpcFails()
    {
        var template = OrdersDev();
        // CDK writes Peer.Ipv4(vpc.VpcCidrBlock) as the VPC's CidrBlock attribute.
        template.Add("InternalAlbSecurityGroupfromVpc80", IngressType, Tcp(80, 80)
            .With("GroupId", GroupRef(InternalAlbGroup))
            .With("CidrIp", new JsonObject { ["Fn::GetAtt"] = new JsonArray(Vpc, "CidrBlock") }));

        var findings = AssertFails(template, "InternalAlbSecurityGroupfromVpc80", "from 10.0.0.0/16 on tcp 80");
        // Inside the VPC only: no path from the internet, but nothing but the frontend may use it.
        Assert.DoesNotContain(findings, f => f.Message.Contains("reached from the internet"));
    }

    // --- The frontend bypassing the internal ALB ---

    [Fact]
    public void BackendTasksAdmittingTheFrontendDirectlyFail()
    {
        var template = OrdersDev();
        template.Add("BackendTasksSecurityGroupfromFrontend8080", IngressType, Tcp(8080, 8080)
            .With("GroupId", GroupRef(BackendGroup)).With("SourceSecurityGroupId", GroupRef(FrontendGroup)));

        AssertFails(template, "BackendTasksSecurityGroupfromFrontend8080",
            "the backend tasks may admit only the internal ALB on tcp 8080");
    }

    [Fact]
    public void FrontendEgressToTheBackendTasksFails()
    {
        var template = OrdersDev();
        template.Add("FrontendTasksSecurityGrouptoBackend8080", EgressType, Tcp(8080, 8080)
            .With("GroupId", GroupRef(FrontendGroup)).With("DestinationSecurityGroupId", GroupRef(BackendGroup)));

        AssertFails(template, "FrontendTasksSecurityGrouptoBackend8080", "Egress from the frontend tasks to the backend tasks");
    }

    [Fact]
    public void ADirectFrontendToBackendPathIsReportedAsReachability()
    {
        var template = OrdersDev();
        template.Add("BackendTasksSecurityGroupfromFrontend8080", IngressType, Tcp(8080, 8080)
            .With("GroupId", GroupRef(BackendGroup)).With("SourceSecurityGroupId", GroupRef(FrontendGroup)));
        template.Add("FrontendTasksSecurityGrouptoBackend8080", EgressType, Tcp(8080, 8080)
            .With("GroupId", GroupRef(FrontendGroup)).With("DestinationSecurityGroupId", GroupRef(BackendGroup)));

        AssertFails(template, "BackendTasksSecurityGroupfromFrontend8080",
            "The frontend tasks can open connections to the backend tasks on tcp 8080 " +
            "(through egress rule FrontendTasksSecurityGrouptoBackend8080 and ingress rule BackendTasksSecurityGroupfromFrontend8080); " +
            "only the internal ALB on tcp 8080 may reach the backend tasks.");
    }

    // --- Widened ports ---

    [Fact]
    public void APortRangeWidenedToEveryPortFails()
    {
        var template = OrdersDev();
        var rule = template.RuleId(EgressType, PublicAlbGroup, FrontendGroup);
        template.Properties(rule)["FromPort"] = 0;
        template.Properties(rule)["ToPort"] = 65535;

        AssertFails(template, rule, "on tcp 0-65535");
    }

    [Fact]
    public void ARuleWidenedToAllTrafficFails()
    {
        var template = OrdersDev();
        var rule = template.RuleId(IngressType, BackendGroup, InternalAlbGroup);
        template.Properties(rule)["IpProtocol"] = "-1";

        AssertFails(template, rule, "on all protocols and ports");
    }

    [Fact]
    public void ARuleOnTheWrongPortFailsAndBreaksTheChain()
    {
        var template = OrdersDev();
        var rule = template.RuleId(IngressType, InternalAlbGroup, FrontendGroup);
        template.Properties(rule)["FromPort"] = 8081;
        template.Properties(rule)["ToPort"] = 8081;

        AssertFails(template, rule, "on tcp 8081");
        AssertFails(template, InternalAlbGroup, "The frontend cannot reach the backend");
    }

    [Fact]
    public void FrontendEgressToAnywhereOnEveryPortFails()
    {
        var template = OrdersDev();
        template.Properties(FrontendGroup)["SecurityGroupEgress"]![0]!["IpProtocol"] = "-1";

        AssertFails(template, FrontendGroup, "inline egress rule 1 of " + FrontendGroup);
        AssertFails(template, FrontendGroup, "The frontend tasks can reach the internet on all protocols and ports");
    }

    [Fact]
    public void ThePublicAlbOpenOnAnotherPortFails()
    {
        var template = OrdersDev();
        template.AddInline(PublicAlbGroup, "SecurityGroupIngress", Tcp(443, 443).With("CidrIp", "0.0.0.0/0"));

        AssertFails(template, PublicAlbGroup, "the public ALB may admit only the internet (0.0.0.0/0 or ::/0) on tcp 80");
    }

    [Fact]
    public void APublicListenerOnAnotherPortFails()
    {
        var template = OrdersDev();
        template.Properties(PublicListener)["Port"] = 8080;

        AssertFails(template, PublicListener, "listens on port 8080");
    }

    // --- Peers the chain does not know ---

    [Fact]
    public void ARuleAdmittingAnUnknownSecurityGroupFails()
    {
        var template = OrdersDev();
        template.Add("AdminSecurityGroup", "AWS::EC2::SecurityGroup", new JsonObject
        {
            ["GroupDescription"] = "admin",
            ["VpcId"] = new JsonObject { ["Ref"] = Vpc },
        });
        template.Add("BackendTasksSecurityGroupfromAdmin8080", IngressType, Tcp(8080, 8080)
            .With("GroupId", GroupRef(BackendGroup)).With("SourceSecurityGroupId", GroupRef("AdminSecurityGroup")));

        AssertFails(template, "BackendTasksSecurityGroupfromAdmin8080", "not one of the chain's four groups");
    }

    [Fact]
    public void APrefixListSourceFailsAsUnknownAddresses()
    {
        var template = OrdersDev();
        template.AddInline(PublicAlbGroup, "SecurityGroupIngress", Tcp(80, 80).With("SourcePrefixListId", "pl-0123456789abcdef0"));

        AssertFails(template, PublicAlbGroup, "prefix list pl-0123456789abcdef0");
    }

    // --- Services and load balancers wired differently ---

    [Fact]
    public void AFifthSecurityGroupOnAServiceFails()
    {
        var template = OrdersDev();
        template.Add("DebugSecurityGroup", "AWS::EC2::SecurityGroup", new JsonObject
        {
            ["GroupDescription"] = "debug",
            ["VpcId"] = new JsonObject { ["Ref"] = Vpc },
            ["SecurityGroupIngress"] = new JsonArray(Tcp(22, 22).With("CidrIp", "0.0.0.0/0")),
        });
        template.Properties(FrontendService)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]!.AsArray()
            .Add(GroupRef("DebugSecurityGroup"));

        AssertFails(template, FrontendService, "has 2 security groups");
        // Its rules apply to the frontend tasks too.
        AssertFails(template, "DebugSecurityGroup", "Ingress to the frontend tasks from 0.0.0.0/0 (anywhere) on tcp 22");
    }

    [Fact]
    public void BackendTasksSharingTheFrontendGroupFail()
    {
        var template = OrdersDev();
        template.Properties(BackendService)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"] =
            new JsonArray(GroupRef(FrontendGroup));

        AssertFails(template, FrontendGroup, "is used by the frontend tasks and the backend tasks");
    }

    [Fact]
    public void AServiceWithPublicIpAddressesFails()
    {
        var template = OrdersDev();
        template.Properties(BackendService)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["AssignPublicIp"] = "ENABLED";

        AssertFails(template, BackendService, "AssignPublicIp ENABLED");
    }

    [Fact]
    public void AServiceGroupFromOutsideTheTemplateFails()
    {
        var template = OrdersDev();
        template.Properties(BackendService)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"] =
            new JsonArray("sg-0123456789abcdef0");

        AssertFails(template, BackendService, "\"sg-0123456789abcdef0\", which is not defined in this template");
    }

    [Fact]
    public void SwappedLoadBalancerSchemesFail()
    {
        var template = OrdersDev();
        template.Properties(PublicAlb)["Scheme"] = "internal";
        template.Properties(InternalAlb)["Scheme"] = "internet-facing";

        AssertFails(template, InternalAlb, "is internet-facing but forwards to backend-service");
        AssertFails(template, PublicAlb, "is internal but forwards to frontend-service");
        // The wiring alone tells too: the group open to 0.0.0.0/0 now fronts the internal ALB.
        AssertFails(template, PublicAlbGroup, "Ingress to the internal ALB from 0.0.0.0/0 (anywhere) on tcp 80");
        AssertFails(template, InternalAlbGroup, "The site is unreachable");
    }

    [Fact]
    public void ATemplateWithoutAnInternalLoadBalancerFails()
    {
        var template = OrdersDev();
        template.RemoveResource(InternalAlb);

        AssertFails(template, "AWS::ElasticLoadBalancingV2::LoadBalancer", "no internal load balancer");
    }

    // --- Missing links of the request path ---

    [Fact]
    public void WithoutEgressFromThePublicAlbTheFrontendIsUnreachable()
    {
        var template = OrdersDev();
        template.RemoveResource(template.RuleId(EgressType, PublicAlbGroup, FrontendGroup));

        AssertFails(template, PublicAlbGroup, "The frontend is unreachable: security group " + PublicAlbGroup + " of the public ALB has no egress rule to the frontend tasks on tcp 3000");
    }

    [Fact]
    public void WithoutIngressOnTheFrontendTasksTheFrontendIsUnreachable()
    {
        var template = OrdersDev();
        template.RemoveResource(template.RuleId(IngressType, FrontendGroup, PublicAlbGroup));

        AssertFails(template, FrontendGroup, "The frontend is unreachable");
    }

    [Fact]
    public void ExpectedPortsComeFromTheTemplateNotFromConstants()
    {
        var template = OrdersDev();
        // The frontend now runs on 3001, but the rules still open 3000.
        template.Properties(FrontendService)["LoadBalancers"]![0]!["ContainerPort"] = 3001;
        template.Properties(FrontendTargetGroup)["Port"] = 3001;

        AssertFails(template, template.RuleId(EgressType, PublicAlbGroup, FrontendGroup), "on tcp 3000");
        AssertFails(template, PublicAlbGroup, "The frontend is unreachable");
    }

    // --- Input and output ---

    [Fact]
    public void TheResultRoundTripsAsJsonForApprovers()
    {
        var template = OrdersDev();
        template.AddInline(FrontendGroup, "SecurityGroupIngress", Tcp(3000, 3000).With("CidrIp", "0.0.0.0/0"));
        var result = SecurityChainCheck.Check(template);

        var json = JsonSerializer.Serialize(result, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<GuardrailResult>(json, JsonSerializerOptions.Web)!;

        Assert.Contains("\"passed\":false", json);
        Assert.Equal(result.Name, back.Name);
        Assert.False(back.Passed);
        Assert.Equal(result.Findings, back.Findings);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"AWSTemplateFormatVersion\":\"2010-09-09\"}")]
    public void SomethingThatIsNotATemplateIsRejectedWithAClearError(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => SecurityChainCheck.Check(text));

        Assert.Matches("not valid JSON|must be a JSON object with a \"Resources\" object", error.Message);
    }

    /// <summary>The check fails and one finding names <paramref name="rule"/> and says <paramref name="saying"/>.</summary>
    private static IReadOnlyList<GuardrailFinding> AssertFails(JsonObject template, string rule, string saying)
    {
        var result = SecurityChainCheck.Check(template);

        Assert.False(result.Passed);
        Assert.True(result.Findings.Any(f => f.Rule == rule && f.Message.Contains(saying, StringComparison.Ordinal)),
            $"No finding on {rule} saying \"{saying}\". Findings:{Environment.NewLine}{string.Join(Environment.NewLine, result.Findings)}");
        return result.Findings;
    }
}
