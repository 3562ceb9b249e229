using Portal.Infra.Environments;

namespace Portal.Tests.Environments;

[Trait(Lanes.Category, Lanes.Unit)]
public class EnvironmentSpecValidatorTests
{
    private const string Arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf";
    private const string Digest = "sha256:0faeb84292a7d4c8ab12082e55704a973748689f8417311d0aa1111a82769338";

    /// <summary>Valid; every bad case below changes exactly one thing.</summary>
    private static readonly EnvironmentSpec Valid = new()
    {
        Name = "orders-dev",
        Target = "sandbox",
        Frontend = new FrontendSpec
        {
            Image = new ImageRef { Repository = "frontend", Tag = "1.4.2" },
            ContainerPort = 3000,
            Cpu = 256,
            MemoryMiB = 512,
            DesiredCount = 2,
            HealthCheckPath = "/health",
            Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
            Secrets = [new SecretRef { Name = "API_KEY", SecretArn = Arn, JsonKey = "apiKey" }],
        },
        Backend = new BackendSpec
        {
            Image = new ImageRef { Repository = "backend", Digest = Digest },
            ContainerPort = 8080,
            ListenerPort = 80,
            Cpu = 512,
            MemoryMiB = 1024,
            DesiredCount = 2,
            HealthCheckPath = "/health",
            Environment = new Dictionary<string, string> { ["DB_POOL_SIZE"] = "20" },
            Secrets =
            [
                new SecretRef { Name = "DB_PASSWORD", SecretArn = Arn, JsonKey = "password" },
                new SecretRef { Name = "TOKEN", SecretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:token-Zx9Yw8" },
            ],
        },
    };

    private static EnvironmentSpec Front(Func<FrontendSpec, FrontendSpec> change) => Valid with { Frontend = change(Valid.Frontend) };
    private static EnvironmentSpec Back(Func<BackendSpec, BackendSpec> change) => Valid with { Backend = change(Valid.Backend) };
    private static EnvironmentSpec FrontImage(Func<ImageRef, ImageRef> change) => Front(f => f with { Image = change(f.Image) });
    private static EnvironmentSpec BackImage(Func<ImageRef, ImageRef> change) => Back(b => b with { Image = change(b.Image) });
    private static EnvironmentSpec FrontEnv(params (string Name, string Value)[] add) =>
        Front(f => f with { Environment = f.Environment.Concat(add.Select(a => KeyValuePair.Create(a.Name, a.Value))).ToDictionary() });
    private static EnvironmentSpec FrontSecret(Func<SecretRef, SecretRef> change) => Front(f => f with { Secrets = [change(f.Secrets[0])] });
    private static EnvironmentSpec BackSecret(Func<SecretRef, SecretRef> change) =>
        Back(b => b with { Secrets = [b.Secrets[0], change(b.Secrets[1])] });
    private static EnvironmentSpec FrontArn(string arn) => FrontSecret(s => s with { SecretArn = arn });
    private static Dictionary<string, string> Variables(int count, int valueLength) =>
        Enumerable.Range(0, count).ToDictionary(i => $"VAR_{i}", _ => new string('x', valueLength));

    private static readonly Dictionary<string, (EnvironmentSpec Spec, string Path)> BadSpecs = new()
    {
        ["name empty"] = (Valid with { Name = "" }, "name"),
        ["name with uppercase"] = (Valid with { Name = "Orders-dev" }, "name"),
        ["name starting with a digit"] = (Valid with { Name = "1orders" }, "name"),
        ["name ending with a hyphen"] = (Valid with { Name = "orders-" }, "name"),
        ["name with a double hyphen"] = (Valid with { Name = "orders--dev" }, "name"),
        ["name with an underscore"] = (Valid with { Name = "orders_dev" }, "name"),
        ["name of 29 characters"] = (Valid with { Name = "a" + new string('b', 28) }, "name"),
        ["target empty"] = (Valid with { Target = "" }, "target"),
        ["target absurdly long"] = (Valid with { Target = new string('t', 65) }, "target"),
        ["frontend missing"] = (Valid with { Frontend = null! }, "frontend"),
        ["image missing"] = (Front(f => f with { Image = null! }), "frontend.image"),
        ["repository empty"] = (FrontImage(i => i with { Repository = "" }), "frontend.image.repository"),
        ["repository uppercase"] = (FrontImage(i => i with { Repository = "Frontend" }), "frontend.image.repository"),
        ["repository one character"] = (FrontImage(i => i with { Repository = "f" }), "frontend.image.repository"),
        ["repository with a tag in it"] = (FrontImage(i => i with { Repository = "frontend:1.4.2" }), "frontend.image.repository"),
        ["repository with a double separator"] = (FrontImage(i => i with { Repository = "team//frontend" }), "frontend.image.repository"),
        ["repository on another registry"] = (FrontImage(i => i with { Repository = "ghcr.io/acme/frontend" }), "frontend.image.repository"),
        ["repository URI with a short account"] =
            (BackImage(i => i with { Repository = "12345.dkr.ecr.us-east-1.amazonaws.com/backend" }), "backend.image.repository"),
        ["repository URI with a bad region"] =
            (BackImage(i => i with { Repository = "123456789012.dkr.ecr.useast1.amazonaws.com/backend" }), "backend.image.repository"),
        ["repository URI .cn outside China"] =
            (BackImage(i => i with { Repository = "123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/backend" }), "backend.image.repository"),
        ["repository URI without repository"] =
            (BackImage(i => i with { Repository = "123456789012.dkr.ecr.us-east-1.amazonaws.com" }), "backend.image.repository"),
        ["repository URI with a scheme"] =
            (BackImage(i => i with { Repository = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/backend" }), "backend.image.repository"),
        ["repository URI with a digest in it"] =
            (BackImage(i => i with { Repository = $"123456789012.dkr.ecr.us-east-1.amazonaws.com/backend@{Digest}" }), "backend.image.repository"),
        ["neither tag nor digest"] = (FrontImage(i => i with { Tag = null }), "frontend.image"),
        ["both tag and digest"] = (BackImage(i => i with { Tag = "1.0" }), "backend.image"),
        ["tag empty"] = (FrontImage(i => i with { Tag = "" }), "frontend.image.tag"),
        ["tag starting with a dot"] = (FrontImage(i => i with { Tag = ".1" }), "frontend.image.tag"),
        ["tag with a slash"] = (FrontImage(i => i with { Tag = "feature/x" }), "frontend.image.tag"),
        ["tag of 129 characters"] = (FrontImage(i => i with { Tag = new string('a', 129) }), "frontend.image.tag"),
        ["digest too short"] = (BackImage(i => i with { Digest = "sha256:abc123" }), "backend.image.digest"),
        ["digest in uppercase"] = (BackImage(i => i with { Digest = Digest.ToUpperInvariant().Replace("SHA256", "sha256") }), "backend.image.digest"),
        ["digest of another algorithm"] = (BackImage(i => i with { Digest = "sha512:" + new string('a', 128) }), "backend.image.digest"),
        ["container port 0"] = (Front(f => f with { ContainerPort = 0 }), "frontend.containerPort"),
        ["container port 65536"] = (Back(b => b with { ContainerPort = 65536 }), "backend.containerPort"),
        ["listener port 0"] = (Back(b => b with { ListenerPort = 0 }), "backend.listenerPort"),
        ["listener port negative"] = (Back(b => b with { ListenerPort = -80 }), "backend.listenerPort"),
        ["cpu not a Fargate size"] = (Front(f => f with { Cpu = 300 }), "frontend.cpu"),
        ["memory too large for 256 cpu"] = (Front(f => f with { MemoryMiB = 4096 }), "frontend.memoryMiB"),
        ["memory between steps for 512 cpu"] = (Back(b => b with { MemoryMiB = 1536 }), "backend.memoryMiB"),
        ["memory off the 4 GB steps for 8 vCPU"] = (Back(b => b with { Cpu = 8192, MemoryMiB = 18432 }), "backend.memoryMiB"),
        ["memory below range for 16 vCPU"] = (Back(b => b with { Cpu = 16384, MemoryMiB = 16384 }), "backend.memoryMiB"),
        ["desired count negative"] = (Front(f => f with { DesiredCount = -1 }), "frontend.desiredCount"),
        ["desired count above the cap"] = (Back(b => b with { DesiredCount = 21 }), "backend.desiredCount"),
        ["health check path empty"] = (Front(f => f with { HealthCheckPath = "" }), "frontend.healthCheckPath"),
        ["health check path without slash"] = (Front(f => f with { HealthCheckPath = "health" }), "frontend.healthCheckPath"),
        ["health check path with a space"] = (Back(b => b with { HealthCheckPath = "/health check" }), "backend.healthCheckPath"),
        ["health check path with a line break"] = (Back(b => b with { HealthCheckPath = "/health\n" }), "backend.healthCheckPath"),
        ["health check path too long"] = (Back(b => b with { HealthCheckPath = "/" + new string('h', 1024) }), "backend.healthCheckPath"),
        ["variable name starting with a digit"] = (FrontEnv(("1BAD", "x")), "frontend.environment[\"1BAD\"]"),
        ["variable name with a hyphen"] = (FrontEnv(("LOG-FORMAT", "json")), "frontend.environment.LOG-FORMAT"),
        ["variable name empty"] = (FrontEnv(("", "x")), "frontend.environment[\"\"]"),
        ["variable name too long"] = (FrontEnv((new string('V', 256), "x")), $"frontend.environment[\"{new string('V', 40)}\"… (256 characters)]"),
        ["BACKEND_URL on the frontend"] = (FrontEnv(("BACKEND_URL", "http://elsewhere")), "frontend.environment.BACKEND_URL"),
        ["variable set by ECS"] =
            (Back(b => b with { Environment = new Dictionary<string, string> { ["ECS_CONTAINER_METADATA_URI_V4"] = "x" } }),
                "backend.environment.ECS_CONTAINER_METADATA_URI_V4"),
        ["value with NUL"] = (FrontEnv(("MODE", "a\0b")), "frontend.environment.MODE"),
        ["value over 4 KB"] = (FrontEnv(("BIG", new string('x', 4097))), "frontend.environment.BIG"),
        ["51 variables"] = (Front(f => f with { Environment = Variables(51, 1) }), "frontend.environment"),
        ["environment over 8 KB in total"] = (Back(b => b with { Environment = Variables(3, 3000) }), "backend.environment"),
        ["secret name empty"] = (FrontSecret(s => s with { Name = "" }), "frontend.secrets[0].name"),
        ["secret name invalid"] = (FrontSecret(s => s with { Name = "api key" }), "frontend.secrets[0].name"),
        ["secret name used twice"] = (BackSecret(s => s with { Name = "DB_PASSWORD" }), "backend.secrets[1].name"),
        ["secret name also in environment"] = (FrontSecret(s => s with { Name = "LOG_LEVEL" }), "frontend.secrets[0].name"),
        ["secret named BACKEND_URL on the frontend"] = (FrontSecret(s => s with { Name = "BACKEND_URL" }), "frontend.secrets[0].name"),
        ["secret entry null"] = (Front(f => f with { Secrets = [null!] }), "frontend.secrets[0]"),
        ["secret ARN empty"] = (FrontArn(""), "frontend.secrets[0].secretArn"),
        ["secret given by name, not ARN"] = (FrontArn("orders/api-AbCdEf"), "frontend.secrets[0].secretArn"),
        ["secret ARN truncated"] = (FrontArn("arn:aws:secretsmanager:us-east-1:123456789012"), "frontend.secrets[0].secretArn"),
        ["secret ARN of S3"] = (FrontArn("arn:aws:s3:us-east-1:123456789012:secret:x"), "frontend.secrets[0].secretArn"),
        ["secret ARN of SSM parameter"] =
            (BackSecret(s => s with { SecretArn = "arn:aws:ssm:us-east-1:123456789012:parameter/db" }), "backend.secrets[1].secretArn"),
        ["secret ARN with unknown partition"] = (FrontArn(Arn.Replace("arn:aws:", "arn:aws-xx:")), "frontend.secrets[0].secretArn"),
        ["secret ARN with a malformed region"] = (FrontArn(Arn.Replace("us-east-1", "US-EAST-1")), "frontend.secrets[0].secretArn"),
        ["secret ARN region outside its partition"] = (FrontArn(Arn.Replace("arn:aws:", "arn:aws-cn:")), "frontend.secrets[0].secretArn"),
        ["secret ARN with an 11-digit account"] = (FrontArn(Arn.Replace("123456789012", "12345678901")), "frontend.secrets[0].secretArn"),
        ["secret ARN of a non-secret resource"] = (FrontArn(Arn.Replace(":secret:", ":rotation:")), "frontend.secrets[0].secretArn"),
        ["secret ARN without a name"] = (FrontArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:"), "frontend.secrets[0].secretArn"),
        ["secret ARN with a JSON key appended"] = (FrontArn(Arn + ":apiKey::"), "frontend.secrets[0].secretArn"),
        ["secret name in ARN with a space"] = (FrontArn(Arn.Replace("orders/api", "orders api")), "frontend.secrets[0].secretArn"),
        ["JSON key empty"] = (FrontSecret(s => s with { JsonKey = "" }), "frontend.secrets[0].jsonKey"),
        ["JSON key with a colon"] = (FrontSecret(s => s with { JsonKey = "a:b" }), "frontend.secrets[0].jsonKey"),
        ["version stage with a colon"] = (BackSecret(s => s with { VersionStage = "AWS:CURRENT" }), "backend.secrets[1].versionStage"),
        ["version id too short"] = (BackSecret(s => s with { VersionId = "abc" }), "backend.secrets[1].versionId"),
        ["version stage and version id both"] =
            (BackSecret(s => s with { VersionStage = "AWSCURRENT", VersionId = "9d4cb84b-ad69-40c0-a0ab-cead36b967e8" }), "backend.secrets[1]"),
        ["26 secrets"] = (Back(b => b with
        {
            Secrets = [.. Enumerable.Range(0, 26).Select(i => new SecretRef { Name = $"S_{i}", SecretArn = Arn })],
        }), "backend.secrets"),
    };

    public static TheoryData<string> BadSpecNames => [.. BadSpecs.Keys];

    [Fact]
    public void TheValidSpecAndTheSamplesHaveNoErrors()
    {
        Assert.Empty(EnvironmentSpecValidator.Validate(Valid));
        Assert.Empty(EnvironmentSpecValidator.Validate(SpecSamples.Load(SpecSamples.OrdersDev)));
        Assert.Empty(EnvironmentSpecValidator.Validate(SpecSamples.Load(SpecSamples.PaymentsTest)));
    }

    [Theory]
    [MemberData(nameof(BadSpecNames))]
    public void ABadSpecIsReportedAtExactlyItsField(string name)
    {
        var (spec, path) = BadSpecs[name];

        var errors = EnvironmentSpecValidator.Validate(spec);

        Assert.Equal([path], errors.Select(e => e.Path).Distinct());
        Assert.All(errors, e => Assert.Matches(@"^[-A-Z0-9""].*[.?]$", e.Message));
    }

    [Fact]
    public void ManyProblemsAreReportedAtOnce()
    {
        var spec = Valid with
        {
            Name = "Bad Name",
            Frontend = Valid.Frontend with { ContainerPort = 0, MemoryMiB = 999 },
            Backend = Valid.Backend with { ListenerPort = 70000, Secrets = [new SecretRef { Name = "X", SecretArn = "nope" }] },
        };

        var paths = EnvironmentSpecValidator.Validate(spec).Select(e => e.Path);

        Assert.Equal(["name", "frontend.containerPort", "frontend.memoryMiB", "backend.secrets[0].secretArn", "backend.listenerPort"], paths);
    }

    [Fact]
    public void PortsMayCoincideAcrossTiersAndTheBackendMayDefineBACKENDURL()
    {
        var spec = Valid with
        {
            Frontend = Valid.Frontend with { ContainerPort = 8080 },
            Backend = Valid.Backend with { ContainerPort = 8080, ListenerPort = 8080, Environment = new Dictionary<string, string> { ["BACKEND_URL"] = "x" } },
        };

        Assert.Empty(EnvironmentSpecValidator.Validate(spec));
    }

    [Theory]
    [InlineData(256, 2048)]
    [InlineData(1024, 8192)]
    [InlineData(4096, 30720)]
    [InlineData(8192, 61440)]
    [InlineData(16384, 122880)]
    public void EveryDocumentedFargateSizeIsAccepted(int cpu, int memory)
    {
        Assert.Empty(EnvironmentSpecValidator.Validate(Front(f => f with { Cpu = cpu, MemoryMiB = memory })));
    }

    [Theory]
    [InlineData(256, "choose 512, 1024 or 2048 MiB")]
    [InlineData(2048, "choose 4096 to 16384 in steps of 1024 MiB")]
    [InlineData(8192, "choose 16384 to 61440 in steps of 4096 MiB")]
    public void AWrongMemorySizeIsAnsweredWithTheSizesThatFitTheCpu(int cpu, string expected)
    {
        var error = Assert.Single(EnvironmentSpecValidator.Validate(Front(f => f with { Cpu = cpu, MemoryMiB = 100 })));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AnUnknownTargetIsNamedAlongWithTheKnownOnes()
    {
        var error = Assert.Single(EnvironmentSpecValidator.Validate(Valid with { Target = "staging" }, ["sandbox", "prod"]));

        Assert.Equal(new SpecError("target", "Unknown target \"staging\". Known: sandbox, prod."), error);
        Assert.Empty(EnvironmentSpecValidator.Validate(Valid, ["sandbox", "prod"]));
    }

    [Fact]
    public void AnARNOfAnotherServiceSaysWhichServiceItBelongsTo()
    {
        var error = Assert.Single(EnvironmentSpecValidator.Validate(FrontArn("arn:aws:s3:us-east-1:123456789012:secret:x")));

        Assert.Contains("this is an ARN of \"s3\", not Secrets Manager", error.Message);
    }

    [Fact]
    public void HugeFreeTextIsEchoedOnlyInPart()
    {
        var huge = new string('x', 1_000_000);

        var errors = EnvironmentSpecValidator.Validate(Valid with { Name = huge, Frontend = Valid.Frontend with { Image = Valid.Frontend.Image with { Tag = huge } } });

        Assert.All(errors, e => Assert.True(e.Message.Length < 400, e.Message));
        Assert.Contains(errors, e => e.Message.Contains("(1,000,000 characters)"));
    }

    [Fact]
    public void AFloodOfProblemsIsCappedWithASummary()
    {
        // 25 secrets with three problems each: 75 in all.
        var secrets = Enumerable.Range(0, 25).Select(i => new SecretRef { Name = $"1X{i}", SecretArn = "x", JsonKey = "" }).ToList();

        var errors = EnvironmentSpecValidator.Validate(Back(b => b with { Secrets = secrets }));

        Assert.Equal(SpecLimits.MaxErrors, errors.Count);
        Assert.Equal(new SpecError("$", "26 more problems are not listed; fix the ones above first."), errors[^1]);
    }

    [Fact]
    public void SecretsAndImagesInAnotherRegionThanTheTargetAreAccepted()
    {
        var spec = Back(b => b with
        {
            Image = new ImageRef { Repository = "210987654321.dkr.ecr.ap-southeast-2.amazonaws.com/shared/backend", Tag = "7" },
            Secrets = [new SecretRef { Name = "K", SecretArn = "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:k" }],
        });

        Assert.Empty(EnvironmentSpecValidator.Validate(spec));
    }
}
