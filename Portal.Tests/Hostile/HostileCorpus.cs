using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Tests.Api;

namespace Portal.Tests.Hostile;

/// <summary>
/// One bad request and the answer it must get: <see cref="Status"/> with <c>errors</c> naming <see cref="Field"/>
/// (the key itself, or a key inside it such as <c>frontend.environment["a b"]</c>); or, when <see cref="Field"/> is null,
/// a problem with the documented status and no field to name (a path naming nothing, a body the endpoint never reads).
/// </summary>
/// <param name="Id">Unique and readable: it names the theory row.</param>
/// <param name="Build">The request, against the <see cref="Victims"/>.</param>
/// <param name="Message">A part of the message the error naming <see cref="Field"/> must hold, when it matters which rule refused it.</param>
public sealed record HostileRequest(string Id, Func<Victims, HttpRequestMessage> Build, HttpStatusCode Status, string? Field, string? Message = null);

/// <summary>
/// A text CloudFormation or CDK would not pass on as typed (see <see cref="HostileCorpus.TemplateSyntaxStrings"/>),
/// and a part of the message that refuses it.
/// </summary>
public sealed record NonLiteralText(string Text, string Message);

/// <summary>
/// One string of a spec: the member it is (<c>ImageRef.Tag</c>, <c>ServiceSpec.Environment[key]</c>), the field path an
/// error about it names, and how a request body takes a value for it (<paramref name="Set"/> builds the field's value
/// around the text: a path starts with '/', an ARN keeps its prefix, so that only the text can be wrong).
/// </summary>
public sealed record SpecTextField(string Member, string Field, Action<JsonObject, string> Set);

/// <summary>What the hostile requests aim at, all alice's.</summary>
/// <param name="Requested">An environment whose revision 1 awaits approval: nothing deployed.</param>
/// <param name="Deployed">An environment with a deployed stack in the built-in sandbox.</param>
/// <param name="DeployedResource">The logical id of one of that stack's resources (its frontend ECS service).</param>
public sealed record Victims(string Requested, string Deployed, string DeployedResource);

/// <summary>
/// The hostile-input corpus: requests no client should send, each of which the API must refuse with a problem naming
/// the field, never a 500, writing nothing. Built from families (every hostile string in every field with a grammar,
/// every number field out of range, …), so a new field or string joins every family at once.
/// </summary>
public static class HostileCorpus
{
    private const string Megabyte = "1 MB";

    /// <summary>Strings no name, tag, path, ARN or identifier may hold: traversal, shell, markup, controls, look-alikes, size.</summary>
    public static readonly IReadOnlyDictionary<string, string> HostileStrings = new Dictionary<string, string>
    {
        ["path traversal"] = "../../etc/passwd",
        ["shell ;"] = "x;rm -rf /",
        ["shell $()"] = "$(curl http://169.254.169.254/latest/meta-data/)",
        ["shell backticks"] = "`id`",
        ["script tag"] = "<script>window.__xss=1</script>",
        ["img onerror"] = "<img src=x onerror=alert(1)>",
        ["BEL control"] = "orders\u0007dev",
        ["line break"] = "orders\ndev",
        ["NUL"] = "orders\0dev",
        ["Cyrillic homoglyph"] = "\u043erders-dev", // "оrders-dev": a Cyrillic о
        ["right-to-left override"] = "orders\u202Eved",
        [Megabyte] = new string('a', 1_000_000),
        ["empty"] = "",
        ["blank"] = "   ",
    };

    /// <summary>Fields that follow a grammar (names, identifiers, references): each refuses every hostile string.</summary>
    private static readonly (string Field, Action<JsonObject, string> Set)[] GrammarFields =
    [
        ("name", (s, v) => s["name"] = v),
        ("target", (s, v) => s["target"] = v),
        ("frontend.image.repository", (s, v) => s["frontend"]!["image"]!["repository"] = v),
        ("frontend.image.tag", (s, v) => s["frontend"]!["image"]!["tag"] = v),
        ("backend.image.digest", (s, v) => s["backend"]!["image"]!["digest"] = v),
        ("frontend.healthCheckPath", (s, v) => s["frontend"]!["healthCheckPath"] = v),
        ("frontend.environment", (s, v) => s["frontend"]!["environment"] = new JsonObject { [v] = "x" }),
        ("frontend.secrets[0].name", (s, v) => s["frontend"]!["secrets"]![0]!["name"] = v),
        ("frontend.secrets[0].secretArn", (s, v) => s["frontend"]!["secrets"]![0]!["secretArn"] = v),
    ];

    /// <summary>
    /// Text that is not a literal to CloudFormation or CDK: a dynamic reference (CloudFormation resolves it with its own
    /// role and writes the value into the resource) and CDK's token encodings (synthesis turns them into references).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, NonLiteralText> TemplateSyntaxStrings = new Dictionary<string, NonLiteralText>
    {
        ["a dynamic reference to a secret"] = new("{{resolve:secretsmanager:prod/db:SecretString:password}}", DynamicReference),
        ["a dynamic reference in capitals with spaces"] = new("{{ Resolve:ssm:/db/pw }}", DynamicReference),
        ["a CDK string token"] = new("${Token[TOKEN.123]}", CdkToken),
        ["a CDK list token"] = new("#{Token[TOKEN.42]}", CdkToken),
        ["a CDK number token"] = new("-1.8881545897087626e+289", CdkToken),
    };

    private const string DynamicReference = "CloudFormation dynamic reference";
    private const string CdkToken = "CDK token";

    private const string ArnPrefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

    /// <summary>Every string of a spec (a test compares this list with the spec's types), on one tier each: both share the rules.</summary>
    public static readonly IReadOnlyList<SpecTextField> SpecTextFields =
    [
        new("EnvironmentSpec.Name", "name", (s, v) => s["name"] = v),
        new("EnvironmentSpec.Target", "target", (s, v) => s["target"] = v),
        new("ImageRef.Repository", "frontend.image.repository", (s, v) => s["frontend"]!["image"]!["repository"] = v),
        new("ImageRef.Repository", "backend.image.repository", (s, v) => s["backend"]!["image"]!["repository"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/" + v),
        new("ImageRef.Tag", "frontend.image.tag", (s, v) => s["frontend"]!["image"]!["tag"] = v),
        new("ImageRef.Digest", "backend.image.digest", (s, v) => s["backend"]!["image"]!["digest"] = v),
        new("ServiceSpec.HealthCheckPath", "frontend.healthCheckPath", (s, v) => s["frontend"]!["healthCheckPath"] = "/" + v),
        new("ServiceSpec.Environment[key]", "backend.environment", (s, v) => s["backend"]!["environment"] = new JsonObject { [v] = "x" }),
        new("ServiceSpec.Environment[value]", "frontend.environment.LOG_LEVEL", (s, v) => s["frontend"]!["environment"]!["LOG_LEVEL"] = v),
        new("SecretRef.Name", "frontend.secrets[0].name", (s, v) => s["frontend"]!["secrets"]![0]!["name"] = v),
        new("SecretRef.SecretArn", "frontend.secrets[0].secretArn", (s, v) => s["frontend"]!["secrets"]![0]!["secretArn"] = ArnPrefix + v),
        new("SecretRef.JsonKey", "frontend.secrets[0].jsonKey", (s, v) => s["frontend"]!["secrets"]![0]!["jsonKey"] = v),
        new("SecretRef.VersionStage", "frontend.secrets[0].versionStage", (s, v) => s["frontend"]!["secrets"]![0]!["versionStage"] = v),
        new("SecretRef.VersionId", "backend.secrets[0].versionId", (s, v) =>
            s["backend"]!["secrets"] = new JsonArray(new JsonObject { ["name"] = "DB_PASSWORD", ["secretArn"] = ArnPrefix + "db-AbCdEf", ["versionId"] = v })),
    ];

    public static IReadOnlyList<HostileRequest> All { get; } = Build();

    public static HostileRequest Get(string id) => All.Single(r => r.Id == id);

    private static List<HostileRequest> Build()
    {
        var corpus = new List<HostileRequest>();
        foreach (var (field, set) in GrammarFields)
        {
            foreach (var (what, value) in HostileStrings)
            {
                corpus.Add(Submit($"{field} = {what}", s => set(s, value), field));
            }
        }

        foreach (var text in SpecTextFields)
        {
            foreach (var (what, syntax) in TemplateSyntaxStrings)
            {
                corpus.Add(Submit($"{text.Field} holding {what}", s => text.Set(s, syntax.Text), text.Field, syntax.Message));
            }
        }

        AddFreeTextLimits(corpus);
        AddNumbers(corpus);
        AddFargatePairs(corpus);
        AddImages(corpus);
        AddSecretArns(corpus);
        AddVariables(corpus);
        AddShapes(corpus);
        AddBodies(corpus);
        AddUpdates(corpus);
        AddDecisions(corpus);
        AddEventQueries(corpus);
        AddExpiries(corpus);
        AddDriftChecks(corpus);
        AddSandboxDrift(corpus);
        return corpus;
    }

    /// <summary>Free text (values, JSON keys) may hold markup, but not what no variable or reference can carry.</summary>
    private static void AddFreeTextLimits(List<HostileRequest> corpus)
    {
        corpus.Add(Submit("variable value with NUL", s => s["frontend"]!["environment"]!["LOG_LEVEL"] = "in\0fo", "frontend.environment.LOG_LEVEL"));
        corpus.Add(Submit("variable value of 1 MB", s => s["frontend"]!["environment"]!["LOG_LEVEL"] = new string('x', 1_000_000), "frontend.environment.LOG_LEVEL"));
        corpus.Add(Submit("variables over 8,192 characters together", s => s["frontend"]!["environment"] = Variables(3, i => $"V{i}", new string('x', 4000)), "frontend.environment"));
        corpus.Add(Submit("jsonKey with ':'", s => s["frontend"]!["secrets"]![0]!["jsonKey"] = "api:key", "frontend.secrets[0].jsonKey"));
        corpus.Add(Submit("jsonKey with a line break", s => s["frontend"]!["secrets"]![0]!["jsonKey"] = "api\nkey", "frontend.secrets[0].jsonKey"));
        corpus.Add(Submit("jsonKey empty", s => s["frontend"]!["secrets"]![0]!["jsonKey"] = "", "frontend.secrets[0].jsonKey"));
        corpus.Add(Submit("jsonKey of 1 MB", s => s["frontend"]!["secrets"]![0]!["jsonKey"] = new string('k', 1_000_000), "frontend.secrets[0].jsonKey"));
        corpus.Add(Submit("versionStage with NUL", s => s["frontend"]!["secrets"]![0]!["versionStage"] = "AWS\0CURRENT", "frontend.secrets[0].versionStage"));
        corpus.Add(Submit("versionId too short", s => s["frontend"]!["secrets"]![0]!["versionId"] = "v1", "frontend.secrets[0].versionId"));
        corpus.Add(Submit("versionStage and versionId both", s =>
        {
            s["frontend"]!["secrets"]![0]!["versionStage"] = "AWSCURRENT";
            s["frontend"]!["secrets"]![0]!["versionId"] = new string('a', 32);
        }, "frontend.secrets[0]"));
    }

    private static void AddNumbers(List<HostileRequest> corpus)
    {
        var ports = new (string Field, Func<JsonObject, JsonObject> Service, string Name)[]
        {
            ("frontend.containerPort", s => s["frontend"]!.AsObject(), "containerPort"),
            ("backend.containerPort", s => s["backend"]!.AsObject(), "containerPort"),
            ("backend.listenerPort", s => s["backend"]!.AsObject(), "listenerPort"),
        };
        var badPorts = new (string What, JsonNode? Value)[]
        {
            ("-1", -1), ("0", 0), ("65536", 65536), ("int overflow", JsonNode.Parse("2147483648")),
            ("long overflow", JsonNode.Parse("99999999999999999999999")), ("1e99", JsonNode.Parse("1e99")), ("80.5", 80.5),
            ("\"80\"", "80"), ("true", true), ("null", null), ("list", new JsonArray(80)),
        };
        foreach (var (field, service, name) in ports)
        {
            foreach (var (what, value) in badPorts)
            {
                corpus.Add(Submit($"{field} = {what}", s => service(s)[name] = value?.DeepClone(), field));
            }
        }

        var counts = new (string What, JsonNode Value)[] { ("-1", -1), ("21", 21), ("int overflow", JsonNode.Parse("2147483648")!), ("-int overflow", JsonNode.Parse("-2147483649")!), ("2.5", 2.5), ("\"2\"", "2") };
        foreach (var (what, value) in counts)
        {
            corpus.Add(Submit($"frontend.desiredCount = {what}", s => s["frontend"]!["desiredCount"] = value.DeepClone(), "frontend.desiredCount"));
        }

        var cpus = new (string What, JsonNode Value)[] { ("0", 0), ("-256", -256), ("100", 100), ("int overflow", JsonNode.Parse("2147483648")!), ("\"256\"", "256") };
        foreach (var (what, value) in cpus)
        {
            corpus.Add(Submit($"backend.cpu = {what}", s => s["backend"]!["cpu"] = value.DeepClone(), "backend.cpu"));
        }

        var memories = new (string What, JsonNode Value)[] { ("0", 0), ("-512", -512), ("int overflow", JsonNode.Parse("2147483648")!), ("512.5", 512.5) };
        foreach (var (what, value) in memories)
        {
            corpus.Add(Submit($"frontend.memoryMiB = {what}", s => s["frontend"]!["memoryMiB"] = value.DeepClone(), "frontend.memoryMiB"));
        }
    }

    private static void AddFargatePairs(List<HostileRequest> corpus)
    {
        foreach (var (cpu, memory) in new[] { (256, 4096), (512, 512), (1024, 1024), (2048, 2048), (4096, 4096), (8192, 8192), (16384, 16384), (256, 3072) })
        {
            corpus.Add(Submit($"Fargate {cpu} CPU with {memory} MiB", s =>
            {
                s["frontend"]!["cpu"] = cpu;
                s["frontend"]!["memoryMiB"] = memory;
            }, "frontend.memoryMiB"));
        }
    }

    private static void AddImages(List<HostileRequest> corpus)
    {
        corpus.Add(Submit("image with tag and digest", s => s["backend"]!["image"]!["tag"] = "1.0.0", "backend.image"));
        corpus.Add(Submit("image with neither tag nor digest", s => s["frontend"]!["image"]!.AsObject().Remove("tag"), "frontend.image"));
        corpus.Add(Submit("digest in uppercase", s => s["backend"]!["image"]!["digest"] = "sha256:" + new string('A', 64), "backend.image.digest"));
        corpus.Add(Submit("repository on Docker Hub", s => s["frontend"]!["image"]!["repository"] = "docker.io/library/nginx", "frontend.image.repository"));
        corpus.Add(Submit("repository URI with a scheme", s => s["frontend"]!["image"]!["repository"] = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/web", "frontend.image.repository"));
        corpus.Add(Submit("repository URI in China without .cn", s => s["frontend"]!["image"]!["repository"] = "123456789012.dkr.ecr.cn-north-1.amazonaws.com/web", "frontend.image.repository"));
        corpus.Add(Submit("repository with a tag in it", s => s["frontend"]!["image"]!["repository"] = "web:latest", "frontend.image.repository"));
    }

    /// <summary>ARNs of another service, partition or malformed region/account (another region of the same partition is fine: ECS reads it).</summary>
    private static void AddSecretArns(List<HostileRequest> corpus)
    {
        var arns = new Dictionary<string, string>
        {
            ["an S3 ARN"] = "arn:aws:s3:::orders-bucket",
            ["an SSM parameter ARN"] = "arn:aws:ssm:us-east-1:123456789012:parameter/orders/api",
            ["a KMS key ARN"] = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ["an IAM role ARN"] = "arn:aws:iam::123456789012:role/admin",
            ["the aws-cn partition with a US region"] = "arn:aws-cn:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf",
            ["a China region in the aws partition"] = "arn:aws:secretsmanager:cn-north-1:123456789012:secret:orders/api-AbCdEf",
            ["a GovCloud region in the aws partition"] = "arn:aws:secretsmanager:us-gov-west-1:123456789012:secret:orders/api-AbCdEf",
            ["an unknown partition"] = "arn:azure:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf",
            ["a malformed region"] = "arn:aws:secretsmanager:mars:123456789012:secret:orders/api-AbCdEf",
            ["an 11-digit account"] = "arn:aws:secretsmanager:us-east-1:12345678901:secret:orders/api-AbCdEf",
            ["extra parts"] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf:apiKey::",
            ["a bare secret name"] = "orders/api",
        };
        foreach (var (what, arn) in arns)
        {
            corpus.Add(Submit($"secretArn is {what}", s => s["frontend"]!["secrets"]![0]!["secretArn"] = arn, "frontend.secrets[0].secretArn"));
        }
    }

    private static void AddVariables(List<HostileRequest> corpus)
    {
        corpus.Add(Submit("10,000 environment variables", s => s["frontend"]!["environment"] = Variables(10_000, i => $"VAR_{i}", "x"), "frontend.environment"));
        corpus.Add(Submit("51 environment variables", s => s["backend"]!["environment"] = Variables(51, i => $"VAR_{i}", "x"), "backend.environment"));
        corpus.Add(Submit("26 secrets", s => s["backend"]!["secrets"] = new JsonArray([.. Enumerable.Range(0, 26).Select(i => Secret($"S_{i}"))]), "backend.secrets"));
        corpus.Add(Submit("BACKEND_URL set by hand", s => s["frontend"]!["environment"]!["BACKEND_URL"] = "http://evil", "frontend.environment.BACKEND_URL"));
        corpus.Add(Submit("an ECS credentials variable", s => s["backend"]!["environment"] = new JsonObject { ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/x" }, "backend.environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        corpus.Add(Submit("variable name starting with a digit", s => s["frontend"]!["environment"] = new JsonObject { ["1ST"] = "x" }, "frontend.environment"));
        corpus.Add(Submit("variable name of 256 characters", s => s["frontend"]!["environment"] = new JsonObject { [new string('V', 256)] = "x" }, "frontend.environment"));
        corpus.Add(Submit("a secret and a variable of the same name", s => s["frontend"]!["environment"]!["API_KEY"] = "x", "frontend.secrets[0].name"));
        corpus.Add(Submit("two secrets of the same name", s => s["frontend"]!["secrets"]!.AsArray().Add(Secret("API_KEY")), "frontend.secrets[1].name"));
        corpus.Add(Submit("secret named BACKEND_URL", s => s["frontend"]!["secrets"]![0]!["name"] = "BACKEND_URL", "frontend.secrets[0].name"));
        corpus.Add(Raw("the same variable twice", json => json.Replace("\"LOG_LEVEL\": \"info\"", "\"LOG_LEVEL\": \"info\", \"LOG_LEVEL\": \"debug\""), "frontend.environment.LOG_LEVEL"));
    }

    /// <summary>Malformed JSON, wrong types, missing, null, unknown and duplicated fields.</summary>
    private static void AddShapes(List<HostileRequest> corpus)
    {
        var malformed = new Dictionary<string, string>
        {
            ["truncated"] = "{\"name\": \"x\"",
            ["trailing comma"] = "{\"name\": \"x\",}",
            ["single quotes"] = "{'name': 'x'}",
            ["a comment"] = "{/* hi */ \"name\": \"x\"}",
            ["NaN"] = "{\"name\": NaN}",
            ["a raw control character in a string"] = "{\"name\": \"a\u0001b\"}",
            ["two documents"] = "{} {}",
            ["nesting 10,000 deep"] = new string('[', 10_000) + new string(']', 10_000),
            ["binary"] = "\u0000\u0001\u0002\u0003",
            ["HTML"] = "<html><script>alert(1)</script></html>",
            ["a JSON escape of half a surrogate pair in a name"] = "{\"\\ud800\": 1}",
        };
        foreach (var (what, body) in malformed)
        {
            corpus.Add(Submit($"body is {what}", _ => body, "$"));
        }

        var wrongRoots = new Dictionary<string, string> { ["a list"] = "[]", ["a string"] = "\"orders-dev\"", ["a number"] = "42", ["null"] = "null", ["true"] = "true", ["empty"] = "", ["blank"] = " \n " };
        foreach (var (what, body) in wrongRoots)
        {
            corpus.Add(Submit($"body is {what}", _ => body, "$"));
        }

        foreach (var field in new[] { "name", "target", "frontend", "backend" })
        {
            corpus.Add(Submit($"{field} missing", s => s.Remove(field), field));
            corpus.Add(Submit($"{field} null", s => s[field] = null, field));
        }
        foreach (var field in new[] { "image", "containerPort", "cpu", "memoryMiB", "desiredCount", "healthCheckPath" })
        {
            corpus.Add(Submit($"frontend.{field} missing", s => s["frontend"]!.AsObject().Remove(field), $"frontend.{field}"));
        }
        corpus.Add(Submit("backend.listenerPort missing", s => s["backend"]!.AsObject().Remove("listenerPort"), "backend.listenerPort"));
        corpus.Add(Submit("secret without secretArn", s => s["frontend"]!["secrets"]![0]!.AsObject().Remove("secretArn"), "frontend.secrets[0].secretArn"));

        corpus.Add(Submit("unknown top-level field", s => s["colour"] = "blue", "colour"));
        corpus.Add(Submit("unknown service field", s => s["frontend"]!["replicas"] = 3, "frontend.replicas"));
        corpus.Add(Submit("unknown image field", s => s["frontend"]!["image"]!["registry"] = "docker.io", "frontend.image.registry"));
        corpus.Add(Submit("a field in the wrong case", s => { s["Name"] = s["name"]!.DeepClone(); s.Remove("name"); }, "Name"));
        corpus.Add(Submit("a __proto__ field", s => s["__proto__"] = new JsonObject { ["admin"] = true }, "__proto__"));
        corpus.Add(Submit("a 1 MB field name", s => s[new string('f', 1_000_000)] = 1, $"[\"{new string('f', 40)}\"… (1,000,000 characters)]"));
        corpus.Add(Raw("the name twice", json => json.Replace("\"target\":", "\"name\": \"other\", \"target\":"), "name"));

        corpus.Add(Submit("frontend as a string", s => s["frontend"] = "web", "frontend"));
        corpus.Add(Submit("environment as a list", s => s["frontend"]!["environment"] = new JsonArray("LOG_LEVEL=info"), "frontend.environment"));
        corpus.Add(Submit("a variable's value as a number", s => s["frontend"]!["environment"]!["LOG_LEVEL"] = 3, "frontend.environment.LOG_LEVEL"));
        corpus.Add(Submit("a variable's value null", s => s["frontend"]!["environment"]!["LOG_LEVEL"] = null, "frontend.environment.LOG_LEVEL"));
        corpus.Add(Submit("secrets as an object", s => s["frontend"]!["secrets"] = new JsonObject { ["API_KEY"] = "arn" }, "frontend.secrets"));
        corpus.Add(Submit("a secret as a string", s => s["frontend"]!["secrets"]![0] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf", "frontend.secrets[0]"));
        corpus.Add(Submit("image as a string", s => s["frontend"]!["image"] = "frontend:1.4.2", "frontend.image"));
        corpus.Add(Submit("name as a number", s => s["name"] = 42, "name"));
        corpus.Add(Submit("name as an object", s => s["name"] = new JsonObject { ["$ne"] = "" }, "name"));
        corpus.Add(Submit("name escaping half a surrogate pair", _ => "{\"name\": \"\\udc00\"}", "name"));
    }

    /// <summary>Sizes and media types: 413 and 415, still problems naming the body.</summary>
    private static void AddBodies(List<HostileRequest> corpus)
    {
        corpus.Add(Submit("a 10 MB body", _ => "{\"name\": \"" + new string('a', 10_000_000) + "\"}", "$", HttpStatusCode.RequestEntityTooLarge));
        corpus.Add(Submit("a 10 MB body sent chunked", _ => "{\"name\": \"" + new string('a', 10_000_000) + "\"}", "$", HttpStatusCode.RequestEntityTooLarge, chunked: true));
        corpus.Add(Submit("a 5 MB spec of padding", name => Spec(name, s => s["frontend"]!["environment"]!["LOG_LEVEL"] = new string(' ', 5_000_000)), "$", HttpStatusCode.RequestEntityTooLarge));
        var mediaTypes = new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/html", "application/octet-stream", "text/json", "application/json; charset=utf-16", "application/json; charset=iso-8859-1" };
        foreach (var mediaType in mediaTypes)
        {
            corpus.Add(Submit($"a spec sent as {mediaType}", _ => ApiClient.SpecJson(PortalHost.UniqueName("hostile")), "$", HttpStatusCode.UnsupportedMediaType, mediaType));
        }
        corpus.Add(new("a spec without a content type", _ =>
        {
            var request = Request(HttpMethod.Post, "/api/environments", "alice");
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(ApiClient.SpecJson(PortalHost.UniqueName("hostile"))));
            return request;
        }, HttpStatusCode.UnsupportedMediaType, "$"));
    }

    /// <summary>A change to alice's environment: the same rules, plus no renaming.</summary>
    private static void AddUpdates(List<HostileRequest> corpus)
    {
        corpus.Add(Update("update renaming the environment", (s, _) => s["name"] = "someone-else", "name"));
        corpus.Add(Update("update with a shell name", (s, _) => s["name"] = "x;rm -rf /", "name"));
        corpus.Add(Update("update with a script in the tag", (s, _) => s["frontend"]!["image"]!["tag"] = "<script>alert(1)</script>", "frontend.image.tag"));
        corpus.Add(Update("update to an invalid Fargate pair", (s, _) => s["backend"]!["memoryMiB"] = 512, "backend.memoryMiB"));
        corpus.Add(Update("update with 10,000 variables", (s, _) => s["backend"]!["environment"] = Variables(10_000, i => $"V{i}", "x"), "backend.environment"));
        corpus.Add(Update("update to another target", (s, _) => s["target"] = "../prod", "target"));
    }

    /// <summary>Approval comments and rejection reasons: at most 2,000 characters of text (line breaks and tabs allowed).</summary>
    private static void AddDecisions(List<HostileRequest> corpus)
    {
        var comments = new Dictionary<string, string>
        {
            ["2,001 characters"] = new('c', 2001),
            ["1 MB"] = new('c', 1_000_000),
            ["NUL"] = "fine\0",
            ["BEL"] = "fine\u0007",
            ["an ANSI escape"] = "\u001b[31mdanger\u001b[0m",
            ["a C1 control"] = "fine\u0085",
            ["DEL"] = "fine\u007f",
            ["a right-to-left override"] = "approved \u202Edesrever",
            ["a bidi isolate"] = "ok \u2066hidden\u2069",
        };
        foreach (var (what, comment) in comments)
        {
            corpus.Add(Decide($"approval comment with {what}", "approve", () => ApiClient.Comment(comment), "comment"));
            corpus.Add(Decide($"rejection reason with {what}", "reject", () => ApiClient.Comment(comment), "comment"));
        }

        var bodies = new Dictionary<string, string>
        {
            ["a comment as a number"] = "{\"comment\": 5}",
            ["a comment as a list"] = "{\"comment\": [\"ok\"]}",
            ["a comment as an object"] = "{\"comment\": {\"text\": \"ok\"}}",
            ["a comment as true"] = "{\"comment\": true}",
            ["a comment escaping half a surrogate pair"] = "{\"comment\": \"ok \\ud800\"}",
        };
        foreach (var (what, body) in bodies)
        {
            corpus.Add(Decide($"approval with {what}", "approve", () => Json(body), "comment"));
        }
        corpus.Add(Decide("approval with an unknown field", "approve", () => Json("{\"comment\": \"ok\", \"approvals\": 2}"), "approvals"));
        corpus.Add(Decide("approval with a 1 MB field name", "approve", () => Json($"{{\"{new string('f', 1_000_000)}\": 1}}"), $"{new string('f', 40)}… (1,000,000 characters)"));
        corpus.Add(Decide("approval as a list", "approve", () => Json("[\"ok\"]"), "$"));
        corpus.Add(Decide("approval as a string", "approve", () => Json("\"ok\""), "$"));
        corpus.Add(Decide("approval of malformed JSON", "approve", () => Json("{\"comment\": "), "$"));
        corpus.Add(Decide("approval with a 10 MB body", "approve", () => Json("{\"comment\": \"" + new string('c', 10_000_000) + "\"}"), "$", HttpStatusCode.RequestEntityTooLarge));
        corpus.Add(Decide("approval sent as text/plain", "approve", () => new StringContent("ok", Encoding.UTF8, "text/plain"), "$", HttpStatusCode.UnsupportedMediaType));
        corpus.Add(Decide("rejection without a reason", "reject", () => Json("{}"), "comment"));
        corpus.Add(Decide("rejection with a blank reason", "reject", () => ApiClient.Comment(" \n\t "), "comment"));
        corpus.Add(Decide("rejection with a null reason", "reject", () => ApiClient.Comment(null), "comment"));
        corpus.Add(Decide("rejection with an empty body", "reject", () => null, "comment"));
    }

    private static void AddEventQueries(List<HostileRequest> corpus)
    {
        var cursors = new Dictionary<string, string>
        {
            ["-1"] = "-1",
            ["abc"] = "abc",
            ["1.5"] = "1.5",
            ["overflowing a long"] = "99999999999999999999",
            ["../1"] = "..%2F1",
        };
        foreach (var (what, value) in cursors)
        {
            corpus.Add(Get($"events after {what}", victim => $"/api/environments/{victim}/events?after={value}", "after"));
            corpus.Add(Get($"event stream after {what}", victim => $"/api/environments/{victim}/events/stream?after={value}", "after"));
        }
        foreach (var (what, value) in new Dictionary<string, string> { ["0"] = "0", ["501"] = "501", ["-5"] = "-5", ["overflowing an int"] = "2147483648", ["1e2"] = "1e2" })
        {
            corpus.Add(Get($"events limit {what}", victim => $"/api/environments/{victim}/events?limit={value}", "limit"));
        }
        foreach (var lastEventId in new[] { "abc", "-1", "1; DROP TABLE StackEvents" })
        {
            corpus.Add(new($"event stream with Last-Event-ID {lastEventId}", victims =>
            {
                var request = Request(HttpMethod.Get, $"/api/environments/{victims.Requested}/events/stream", "alice");
                request.Headers.Add("Last-Event-ID", lastEventId);
                return request;
            }, HttpStatusCode.BadRequest, "Last-Event-ID"));
        }
    }

    /// <summary>
    /// <c>expiresAt</c> values no expiry may take: wrong types, the past, instants that overflow, beyond the target's
    /// <c>Expiry:MaxDays</c> (30 here), and text that is no ISO 8601 instant with its offset.
    /// </summary>
    private static (string What, Func<JsonNode?> Value)[] BadExpiries =>
    [
        ("a number", () => 5),
        ("Unix seconds", () => 1_798_128_000),
        ("a number overflowing a double", () => JsonNode.Parse("1e999")),
        ("true", () => true),
        ("an object", () => new JsonObject { ["$date"] = "2026-12-24T18:00:00Z" }),
        ("a list", () => new JsonArray("2026-12-24T18:00:00Z")),
        ("empty", () => ""),
        ("blank", () => "   "),
        ("'tomorrow'", () => "tomorrow"),
        ("a date without a time", () => "2026-12-24"),
        ("a time without its offset", () => "2026-12-24T18:00:00"),
        ("month 13", () => "2026-13-01T00:00:00Z"),
        ("30 February", () => "2027-02-30T00:00:00Z"),
        ("an offset of 25 hours", () => "2026-12-24T18:00:00+25:00"),
        ("in the past", () => "2020-01-01T00:00:00Z"),
        ("the first instant", () => "0001-01-01T00:00:00Z"),
        ("before the first instant in UTC", () => "0001-01-01T00:00:00+14:00"),
        ("after the last instant in UTC", () => "9999-12-31T23:59:59-14:00"),
        ("year 10000", () => "10000-01-01T00:00:00Z"),
        ("the last instant", () => "9999-12-31T23:59:59.9999999Z"),
        ("far future", () => "2100-01-01T00:00:00Z"),
        ("40 days ahead", () => DateTimeOffset.UtcNow.AddDays(40).ToString("O")),
        ("1 MB", () => new string('9', 1_000_000)),
        ("a script", () => "<script>alert(1)</script>"),
        ("a shell command after it", () => "2026-12-24T18:00:00Z; rm -rf /"),
        ("NUL", () => "2026-12-24T18:00:00Z\0"),
        ("a right-to-left override", () => "\u202EZ00:00:81T42-21-6202"),
        ("Arabic-Indic digits", () => "\u0662\u0660\u0662\u0666-\u0661\u0662-\u0662\u0664T18:00:00Z"),
    ];

    /// <summary>An expiry in a submission (beside the spec) and in <c>PUT …/expiry</c>; then the expiry body's own shapes.</summary>
    private static void AddExpiries(List<HostileRequest> corpus)
    {
        foreach (var (what, value) in BadExpiries)
        {
            corpus.Add(Submit($"submission with expiresAt {what}", s => s[ExpiresAt] = value(), ExpiresAt));
            corpus.Add(SetExpiry($"expiry set to {what}", () => Json(new JsonObject { [ExpiresAt] = value() }.ToJsonString()), ExpiresAt));
        }

        corpus.Add(Submit("submission with expiresAt null", s => s[ExpiresAt] = null, ExpiresAt));
        corpus.Add(Raw("submission with expiresAt escaping half a surrogate pair", json => json.Replace("\"target\":", "\"expiresAt\": \"\\ud800\", \"target\":"), ExpiresAt));
        corpus.Add(Raw("submission with expiresAt twice", json => json.Replace("\"target\":", "\"expiresAt\": \"2020-01-01T00:00:00Z\", \"expiresAt\": \"2100-01-01T00:00:00Z\", \"target\":"), ExpiresAt));

        var bodies = new Dictionary<string, (string Body, string Field)>
        {
            ["null"] = ("{\"expiresAt\": null}", ExpiresAt),
            ["missing"] = ("{}", ExpiresAt),
            ["escaping half a surrogate pair"] = ("{\"expiresAt\": \"\\ud800\"}", ExpiresAt),
            ["misspelt"] = ("{\"expiresat\": \"2026-12-24T18:00:00Z\"}", "expiresat"),
            ["with an unknown field"] = ("{\"expiresAt\": \"2026-12-24T18:00:00Z\", \"maxDays\": 3650}", "maxDays"),
            ["with a 1 MB field name"] = ($"{{\"{new string('f', 1_000_000)}\": 1}}", new string('f', 40) + "…"),
            ["with a field name escaping half a surrogate pair"] = ("{\"\\ud800\": 1}", "$"),
            ["twice"] = ("{\"expiresAt\": \"2100-01-01T00:00:00Z\", \"expiresAt\": \"2100-01-01T00:00:00Z\"}", "$"),
            ["malformed"] = ("{\"expiresAt\": ", "$"),
            ["a list"] = ("[\"2026-12-24T18:00:00Z\"]", "$"),
            ["a bare string"] = ("\"2026-12-24T18:00:00Z\"", "$"),
            ["empty"] = ("", "$"),
        };
        foreach (var (what, (body, field)) in bodies)
        {
            corpus.Add(SetExpiry($"expiry body {what}", () => Json(body), field));
        }
        corpus.Add(SetExpiry("expiry body of 10 MB", () => Json("{\"expiresAt\": \"" + new string('9', 10_000_000) + "\"}"), "$", HttpStatusCode.RequestEntityTooLarge));
        corpus.Add(SetExpiry("expiry sent as text/plain", () => new StringContent("2026-12-24T18:00:00Z", Encoding.UTF8, "text/plain"), "$", HttpStatusCode.UnsupportedMediaType));
    }

    /// <summary>Names in the path that name nothing: 404 (nothing to name: the path is the whole request).</summary>
    private static Dictionary<string, string> HostilePathNames => new()
    {
        ["a traversal"] = "..%2F..%2Fetc%2Fpasswd",
        ["a script"] = "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        ["a shell command"] = "x%3Brm%20-rf%20%2F",
        ["a Cyrillic homoglyph"] = Uri.EscapeDataString("\u043erders-dev"),
        ["1,000 characters"] = new('a', 1000),
    };

    /// <summary>
    /// A drift check reads no body: whatever is sent, the answer is the one without a body (409: nothing is deployed on
    /// the victim, no check starts). Paths naming nothing are 404s for the drift and expiry endpoints alike.
    /// </summary>
    private static void AddDriftChecks(List<HostileRequest> corpus)
    {
        var bodies = new Dictionary<string, Func<HttpContent>>
        {
            ["malformed JSON"] = () => Json("{\"force\": "),
            ["a script"] = () => Json("{\"comment\": \"<script>alert(1)</script>\"}"),
            ["a 1 MB string"] = () => Json("{\"x\": \"" + new string('x', 1_000_000) + "\"}"),
            ["text/plain"] = () => new StringContent("check it", Encoding.UTF8, "text/plain"),
        };
        foreach (var (what, body) in bodies)
        {
            corpus.Add(new($"drift check with {what} as body", victims =>
            {
                var request = Request(HttpMethod.Post, $"/api/environments/{victims.Requested}/drift", "alice");
                request.Content = body();
                return request;
            }, HttpStatusCode.Conflict, null));
        }

        foreach (var (what, name) in HostilePathNames)
        {
            corpus.Add(new($"drift check of {what}", _ => Request(HttpMethod.Post, $"/api/environments/{name}/drift", "alice"), HttpStatusCode.NotFound, null));
            corpus.Add(new($"drift result of {what}", _ => Request(HttpMethod.Get, $"/api/environments/{name}/drift", "alice"), HttpStatusCode.NotFound, null));
            corpus.Add(new($"expiry of {what}", _ => Request(HttpMethod.Get, $"/api/environments/{name}/expiry", "alice"), HttpStatusCode.NotFound, null));
            corpus.Add(new($"expiry set on {what}", _ =>
            {
                var request = Request(HttpMethod.Put, $"/api/environments/{name}/expiry", "alice");
                request.Content = Json($"{{\"expiresAt\": \"{DateTimeOffset.UtcNow.AddDays(7):O}\"}}");
                return request;
            }, HttpStatusCode.NotFound, null));
        }
    }

    /// <summary>
    /// The sandbox's drift control (admins, built-in sandbox only): every field of its body refused when it names no
    /// stack, no resource or no property, and bodies of the wrong shape; against the deployed victim, so a request the
    /// control wrongly accepted would change a real sandbox resource (204).
    /// </summary>
    private static void AddSandboxDrift(List<HostileRequest> corpus)
    {
        foreach (var (what, value) in HostileStrings)
        {
            corpus.Add(SandboxDrift($"sandbox drift of stack {what}", v => DriftBody(v, stackName: value), "stackName"));
            corpus.Add(SandboxDrift($"sandbox drift of resource {what}", v => DriftBody(v, logicalId: value), "logicalId"));
        }

        // Any other token is a property the control may add (an ADD difference), as a console edit could.
        var paths = new Dictionary<string, string>
        {
            ["without its leading /"] = "DesiredCount",
            ["below a number"] = "/DesiredCount/deeper",
            ["empty"] = "",
            ["blank"] = "   ",
            ["of 1 MB"] = "/" + new string('p', 1_000_000),
        };
        foreach (var (what, path) in paths)
        {
            corpus.Add(SandboxDrift($"sandbox drift of a property path {what}", v => DriftBody(v, propertyPath: path), "propertyPath"));
        }

        var shapes = new Dictionary<string, (Func<Victims, string> Body, string Field)>
        {
            ["cut off after a field's name"] = (_ => "{\"stackName\": ", "stackName"),
            ["not JSON"] = (_ => "stackName=portal-x", "$"),
            ["a list"] = (_ => "[]", "$"),
            ["a bare string"] = (_ => "\"portal-x\"", "$"),
            ["null"] = (_ => "null", "$"),
            ["empty"] = (_ => "", "$"),
            ["missing every field"] = (_ => "{}", "stackName"),
            ["a stack name as a number"] = (v => DriftBody(v).Replace($"\"portal-{v.Deployed}\"", "5"), "stackName"),
            ["deleted as a string"] = (v => DriftBody(v).Replace("\"deleted\":false", "\"deleted\":\"yes\""), "deleted"),
            ["the actual value as an object"] = (v => DriftBody(v).Replace("\"actualValue\":\"3\"", "\"actualValue\":{\"a\":1}"), "actualValue"),
            ["a stack name escaping half a surrogate pair"] = (v => DriftBody(v).Replace($"\"portal-{v.Deployed}\"", "\"\\ud800\""), "stackName"),
        };
        foreach (var (what, (body, field)) in shapes)
        {
            corpus.Add(SandboxDrift($"sandbox drift body {what}", body, field));
        }
        corpus.Add(SandboxDrift("sandbox drift sent as text/plain", v => DriftBody(v), "$", HttpStatusCode.UnsupportedMediaType, "text/plain"));
    }

    private const string ExpiresAt = "expiresAt";

    /// <summary>A drift control body that would be accepted (the victim's frontend service's desired count), but for the value given.</summary>
    private static string DriftBody(Victims victims, string? stackName = null, string? logicalId = null, string? propertyPath = null) =>
        new JsonObject
        {
            ["stackName"] = stackName ?? $"portal-{victims.Deployed}",
            ["logicalId"] = logicalId ?? victims.DeployedResource,
            ["propertyPath"] = propertyPath ?? "/DesiredCount",
            ["actualValue"] = "3",
            ["deleted"] = false,
        }.ToJsonString();

    private static HostileRequest SandboxDrift(
        string id, Func<Victims, string> body, string field, HttpStatusCode status = HttpStatusCode.BadRequest, string mediaType = "application/json") =>
        new(id, victims =>
        {
            var request = Request(HttpMethod.Post, "/api/sandbox/drift", "dana");
            request.Content = new StringContent(body(victims), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            return request;
        }, status, field);

    private static HostileRequest SetExpiry(string id, Func<HttpContent> body, string field, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(id, victims =>
        {
            var request = Request(HttpMethod.Put, $"/api/environments/{victims.Requested}/expiry", "alice");
            request.Content = body();
            return request;
        }, status, field);

    private static HostileRequest Get(string id, Func<string, string> path, string field) =>
        new(id, victims => Request(HttpMethod.Get, path(victims.Requested), "alice"), HttpStatusCode.BadRequest, field);

    private static HostileRequest Submit(string id, Action<JsonObject> change, string field, string? message = null) =>
        Submit(id, name => Spec(name, change), field) with { Message = message };

    private static HostileRequest Submit(
        string id, Func<string, string> body, string field, HttpStatusCode status = HttpStatusCode.BadRequest,
        string mediaType = "application/json", bool chunked = false) =>
        new(id, _ =>
        {
            var request = Request(HttpMethod.Post, "/api/environments", "alice");
            var bytes = Encoding.UTF8.GetBytes(body(PortalHost.UniqueName("hostile")));
            request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            return request;
        }, status, field);

    /// <summary>A spec edited as text, for what a JSON tree cannot hold (the same key twice).</summary>
    private static HostileRequest Raw(string id, Func<string, string> edit, string field) =>
        Submit(id, name => edit(ApiClient.SpecJson(name)), field);

    private static HostileRequest Update(string id, Action<JsonObject, string> change, string field) =>
        new(id, victims =>
        {
            var request = Request(HttpMethod.Put, $"/api/environments/{victims.Requested}", "alice");
            request.Content = Json(Spec(victims.Requested, s => change(s, victims.Requested)));
            return request;
        }, HttpStatusCode.BadRequest, field);

    private static HostileRequest Decide(
        string id, string decision, Func<HttpContent?> body, string field, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(id, victims =>
        {
            var request = Request(HttpMethod.Post, $"/api/environments/{victims.Requested}/revisions/1/{decision}", "bob");
            request.Content = body();
            return request;
        }, status, field);

    private static string Spec(string name, Action<JsonObject> change)
    {
        var spec = JsonNode.Parse(ApiClient.SpecJson(name))!.AsObject();
        change(spec);
        return spec.ToJsonString();
    }

    private static JsonObject Variables(int count, Func<int, string> name, string value) =>
        new(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(name(i), (JsonNode?)value)));

    private static JsonObject Secret(string name) => new()
    {
        ["name"] = name,
        ["secretArn"] = $"arn:aws:secretsmanager:us-east-1:123456789012:secret:{name.ToLowerInvariant()}-AbCdEf",
    };

    private static StringContent Json(string json) => ApiClient.Json(json);

    private static HttpRequestMessage Request(HttpMethod method, string path, string user) => new(method, path)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", $"dev-{user}") },
    };
}
