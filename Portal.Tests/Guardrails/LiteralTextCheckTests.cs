using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Portal.Infra.Environments;
using Portal.Infra.Guardrails;
using Portal.Infra.Stacks;
using Portal.Infra.Synthesis;
using Portal.Tests.Environments;
using Portal.Tests.Hostile;
using static Portal.Tests.Guardrails.ChainTemplate;

namespace Portal.Tests.Guardrails;

/// <summary>
/// The samples and a spec that takes every branch of the construction (a repository URI in another region, a digest,
/// an empty value, partial and complete secret ARNs, one ARN twice, a version stage and a version id), each
/// synthesized as requested and as its inert twin; and the CDK tokens a hostile spec would carry, made by CDK itself.
/// </summary>
public sealed class LiteralTextTemplates : IAsyncLifetime
{
    public const string Requester = "José Müller";

    public TemplateSynthesizer Synthesizer { get; } = new();

    public Dictionary<string, (SynthRequest Request, string Template, string Twin)> ByName { get; } = [];

    public static EnvironmentSpec Varied()
    {
        var sample = SpecSamples.Load(SpecSamples.PaymentsTest);
        const string arn = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/db";
        return sample with
        {
            Name = "varied",
            Frontend = sample.Frontend with
            {
                Image = new ImageRef { Repository = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/web", Digest = "sha256:" + new string('a', 64) },
                Environment = new Dictionary<string, string> { ["EMPTY"] = "", ["SAME_A"] = "same", ["SAME_B"] = "same", ["URL"] = "https://example.com/a?b=c" },
                Secrets =
                [
                    new SecretRef { Name = "PARTIAL", SecretArn = arn },
                    new SecretRef { Name = "PARTIAL_AGAIN", SecretArn = arn, JsonKey = "user" },
                    new SecretRef { Name = "BY_VERSION", SecretArn = arn + "-AbCdEf", VersionId = "0123456789abcdef0123456789abcdef" },
                ],
            },
        };
    }

    public async Task InitializeAsync()
    {
        var requests = new[]
        {
            new SynthRequest(SpecSamples.Load(SpecSamples.OrdersDev), "alice"),
            new SynthRequest(SpecSamples.Load(SpecSamples.PaymentsTest), Requester),
            new SynthRequest(Varied(), "   "),
        };
        foreach (var request in requests)
        {
            var template = await Synthesizer.SynthesizeAsync(request);
            var twin = await Synthesizer.SynthesizeAsync(InertText.Of(request));
            ByName[request.Spec.Name] = (request, template.TemplateJson, twin.TemplateJson);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>CDK's own encodings of references, as a spec would have to carry them: made in the jsii process, one at a time.</summary>
    public static Task<CdkTokens> TokensAsync() => TemplateSynthesizer.RunJsiiAsync(_ => new CdkTokens(
        GetAtt: Token.AsString(Fn.GetAtt(PublicAlbGroup, "GroupId")),
        Sub: Fn.Sub("${AWS::Region}"),
        Import: Fn.ImportValue("shared-vpc-id"),
        Ref: Fn.Ref("AWS::AccountId"),
        // JavaScript writes the double with a lowercase "e", which is what CDK looks for in a string.
        Number: Token.AsNumber(Fn.GetAtt(PublicAlbGroup, "GroupId")).ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+"),
        List: Fn.GetAzs()[0],
        Unresolved: text => Token.IsUnresolved(text)), CancellationToken.None);
}

/// <summary>Tokens of CDK's token map, and CDK's own test of a string (<c>Token.isUnresolved</c>).</summary>
public sealed record CdkTokens(string GetAtt, string Sub, string Import, string Ref, string Number, string List, Func<string, bool> Unresolved);

[Trait(Lanes.Category, Lanes.Unit)]
public sealed class LiteralTextCheckTests(LiteralTextTemplates templates) : IClassFixture<LiteralTextTemplates>
{
    private const string DynamicReference = "{{resolve:secretsmanager:prod/db:SecretString:password}}";

    public static TheoryData<string> Specs => new() { "orders-dev", "payments-test", "varied" };

    [Theory, MemberData(nameof(Specs))]
    public void ALiteralSpecAndItsInertTwinHaveTheSameStructure(string name)
    {
        var (_, template, twin) = templates.ByName[name];

        var result = LiteralTextCheck.Check(template, twin);

        Assert.True(result.Passed, Findings(result));
        Assert.Equal("LiteralTextCheck", result.Name);
    }

    [Fact]
    public void TheInertTwinKeepsNoTextOfTheSpecOrTheRequester()
    {
        // Every string of the spec, keys of the environment included, made unmistakable.
        var json = JsonNode.Parse(EnvironmentSpecJson.Serialize(LiteralTextTemplates.Varied()))!;
        var count = 0;
        var marked = Mark(json, () => $"Zq{count++}qZ");
        // Deserialized, not parsed: the marks are no valid spec, and the twin is made of any spec the synth is given.
        var spec = System.Text.Json.JsonSerializer.Deserialize<EnvironmentSpec>(marked!.ToJsonString(), EnvironmentSpecJson.Options)!;

        var twin = InertText.Of(new SynthRequest(spec, "Zq-requester-qZ"));

        var text = EnvironmentSpecJson.Serialize(twin.Spec) + twin.RequestedBy;
        Assert.True(count > 20, $"{count} strings marked");
        Assert.DoesNotContain("Zq", text);
        Assert.Equal(spec.Frontend.Environment.Count, twin.Spec.Frontend.Environment.Count);
        Assert.Equal(spec.Frontend.Cpu, twin.Spec.Frontend.Cpu);
        Assert.False(twin.Deployable);
    }

    /// <summary>Each edit puts into a real template what a token in the spec would have become; validation now refuses the text itself.</summary>
    public static TheoryData<string, string, string> Injections => new()
    {
        { "a GetAtt in a variable's value", FrontendTask, "Properties.ContainerDefinitions[0].Environment[0].Value is {\"Fn::GetAtt\":[\"PublicAlbSecurityGroupC0549052\",\"GroupId\"]} where the stack itself puts text" },
        { "a Ref in the requester tag", FrontendTargetGroup, "Properties.Tags[1].Value is {\"Ref\":\"AWS::AccountId\"} where the stack itself puts text" },
        { "a Sub in the health check path", FrontendTargetGroup, "Properties.HealthCheckPath is {\"Fn::Sub\":\"/${AWS::Region}\"} where the stack itself puts text" },
        { "an ImportValue in a secret reference", FrontendTask, "Properties.ContainerDefinitions[0].Secrets[0].ValueFrom is {\"Fn::ImportValue\":\"shared-secret\"}" },
        { "a Join around a GetAtt in the image tag", BackendTask, "Properties.ContainerDefinitions[0].Image.Fn::Join[1] is [{\"Ref\":\"AWS::AccountId\"}" },
        { "a dynamic reference in a variable's value", FrontendTask, "Properties.ContainerDefinitions[0].Environment[0].Value holds a CloudFormation dynamic reference" },
        { "a dynamic reference in a tag", "Vpc8378EB38", "Properties.Tags[1].Value holds a CloudFormation dynamic reference" },
        { "a dynamic reference in an output's description", "PublicUrl", "Description holds a CloudFormation dynamic reference" },
        { "a token left unresolved in the health check path", FrontendTargetGroup, "Properties.HealthCheckPath holds a CDK token" },
    };

    private const string FrontendTask = "FrontendTask1FBAEF7E";
    private const string BackendTask = "BackendTask72BF3D47";

    [Theory, MemberData(nameof(Injections))]
    public void AnInjectedReferenceOrDynamicReferenceFails(string injection, string rule, string message)
    {
        var (_, template, twin) = templates.ByName["orders-dev"];
        var edited = JsonNode.Parse(template)!.AsObject();
        Inject(edited, injection);

        var result = LiteralTextCheck.Check(edited.ToJsonString(), twin);

        Assert.False(result.Passed);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(rule, finding.Rule);
        Assert.Contains(message, finding.Message);
    }

    /// <summary>
    /// Without validation, the text goes straight to the synth: real CDK tokens (made by CDK in the same jsii process,
    /// so synthesis resolves them) and a dynamic reference in every free-text field. The plan's guardrails fail, naming
    /// each place; the requester, a token too, is only a tag of literal text.
    /// </summary>
    [Fact]
    public async Task TokensAndDynamicReferencesFedStraightToTheSynthFailThePlansGuardrails()
    {
        var tokens = await LiteralTextTemplates.TokensAsync();
        var sample = SpecSamples.Load(SpecSamples.OrdersDev);
        var spec = sample with
        {
            Frontend = sample.Frontend with
            {
                HealthCheckPath = tokens.Sub,
                Environment = new Dictionary<string, string>
                {
                    ["DB"] = DynamicReference,
                    ["SG"] = tokens.GetAtt,
                    ["VPC"] = tokens.Import,
                    ["ACCOUNT"] = "account " + tokens.Ref,
                    ["PORT"] = tokens.Number,
                },
                Secrets = [sample.Frontend.Secrets[0] with { VersionStage = tokens.GetAtt }],
            },
            Backend = sample.Backend with { Image = new ImageRef { Repository = "backend", Tag = tokens.Ref } },
        };
        var request = new SynthRequest(spec, tokens.GetAtt);
        var synth = await templates.Synthesizer.SynthesizeAsync(request);

        var result = await PlanGuardrails.CheckAsync(templates.Synthesizer, request, synth, CancellationToken.None);

        Assert.False(result.Passed);
        Assert.Equal("SecurityChainCheck and LiteralTextCheck", result.Name);
        var places = result.Findings.Select(f => $"{f.Rule} {f.Message}").ToList();
        string[] expected =
        [
            $"{FrontendTargetGroup} Properties.HealthCheckPath is {{\"Fn::Sub\"",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Environment[0].Value holds a CloudFormation dynamic reference",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Environment[1].Value is {{\"Fn::GetAtt\":[\"{PublicAlbGroup}\",\"GroupId\"]}}",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Environment[2].Value is {{\"Fn::ImportValue\"",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Environment[3].Value is {{\"Fn::Join\"",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Environment[4].Value is {{\"Fn::GetAtt\"",
            $"{FrontendTask} Properties.ContainerDefinitions[0].Secrets[0].ValueFrom is {{\"Fn::Join\"",
            $"{BackendTask} Properties.ContainerDefinitions[0].Image.Fn::Join[1] is [",
        ];
        Assert.All(expected, place => Assert.Contains(places, p => p.StartsWith(place, StringComparison.Ordinal)));
        Assert.DoesNotContain(places, p => p.Contains("Tags"));
        var tags = JsonNode.Parse(synth.TemplateJson)!["Resources"]!.AsObject()
            .Select(r => r.Value!["Properties"]?["Tags"]).OfType<JsonArray>()
            .Select(t => t.Single(tag => (string)tag!["Key"]! == "portal:requested-by")!["Value"]!.GetValue<string>()).ToHashSet();
        Assert.Equal([IdentityTag.Value(tokens.GetAtt)!], tags);
    }

    /// <summary>
    /// CDK's own test of a string (<c>Token.isUnresolved</c>) against the spec's: every text CDK would resolve is
    /// refused. A list token is no token to CDK inside a string (its synth fails on it instead); it is refused too.
    /// </summary>
    [Fact]
    public async Task EveryTextCdkReadsAsATokenIsNoLiteralToTheSpecRules()
    {
        var tokens = await LiteralTextTemplates.TokensAsync();
        string[] encodings = [tokens.GetAtt, tokens.Sub, tokens.Import, tokens.Ref, tokens.Number];
        var candidates = encodings.Concat(encodings.Select(t => $"a {t} b")).Append(tokens.List)
            .Concat(HostileCorpus.TemplateSyntaxStrings.Values.Select(s => s.Text))
            .Concat(["${Token[X]}", "#{Token[a.b:c-d_1]}", "-1.8881545897087626e+289 ms", "${Token[]}", "{{resolve}}", "info", "${HOME}", "#{x}", "1e+289"]);

        var cdk = await TemplateSynthesizer.RunJsiiAsync(_ => candidates.Select(c => (Text: c, Unresolved: tokens.Unresolved(c))).ToList(), CancellationToken.None);

        Assert.All(encodings, e => Assert.True(cdk.Single(c => c.Text == e).Unresolved, $"CDK does not read {e} as a token"));
        Assert.All(cdk.Where(c => c.Unresolved), c => Assert.False(TemplateSyntax.IsLiteral(c.Text), $"{c.Text} is a token to CDK"));
        Assert.False(TemplateSyntax.IsLiteral(tokens.List));
    }

    private static void Inject(JsonObject template, string injection)
    {
        JsonObject Props(string id) => template.Properties(id);
        JsonNode Container(string task) => Props(task)["ContainerDefinitions"]![0]!;
        switch (injection)
        {
            case "a GetAtt in a variable's value":
                Container(FrontendTask)["Environment"]![0]!["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(PublicAlbGroup, "GroupId") };
                break;
            case "a Ref in the requester tag":
                Props(FrontendTargetGroup)["Tags"]![1]!["Value"] = new JsonObject { ["Ref"] = "AWS::AccountId" };
                break;
            case "a Sub in the health check path":
                Props(FrontendTargetGroup)["HealthCheckPath"] = new JsonObject { ["Fn::Sub"] = "/${AWS::Region}" };
                break;
            case "an ImportValue in a secret reference":
                Container(FrontendTask)["Secrets"]![0]!["ValueFrom"] = new JsonObject { ["Fn::ImportValue"] = "shared-secret" };
                break;
            case "a Join around a GetAtt in the image tag":
                var parts = Container(BackendTask)["Image"]!["Fn::Join"]![1]!.AsArray();
                var last = parts[^1]!.GetValue<string>();
                parts[^1] = last[..(last.IndexOf('@') + 1)];
                parts.Add(new JsonObject { ["Fn::GetAtt"] = new JsonArray(PublicAlbGroup, "GroupId") });
                parts.Add("");
                break;
            case "a dynamic reference in a variable's value":
                Container(FrontendTask)["Environment"]![0]!["Value"] = DynamicReference;
                break;
            case "a dynamic reference in a tag":
                Props("Vpc8378EB38")["Tags"]![1]!["Value"] = DynamicReference;
                break;
            case "a dynamic reference in an output's description":
                template["Outputs"]!["PublicUrl"]!["Description"] = "{{resolve:ssm:/portal/url}}";
                break;
            case "a token left unresolved in the health check path":
                Props(FrontendTargetGroup)["HealthCheckPath"] = "/${Token[TOKEN.77]}";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(injection), injection, null);
        }
    }

    /// <summary>A copy of <paramref name="node"/> with every string value and every key under an "environment" replaced by <paramref name="next"/>'s.</summary>
    private static JsonNode? Mark(JsonNode? node, Func<string> next, bool keys = false) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(keys ? next() : p.Key, Mark(p.Value, next, p.Key == "environment")))),
        JsonArray a => new JsonArray([.. a.Select(i => Mark(i, next))]),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => next(),
        _ => node?.DeepClone(),
    };

    private static string Findings(GuardrailResult result) => string.Join("\n", result.Findings.Select(f => $"{f.Rule}: {f.Message}"));
}
