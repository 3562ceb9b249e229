using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Infra.Environments;

namespace Portal.Tests.Environments;

[Trait(Lanes.Category, Lanes.Unit)]
public class EnvironmentSpecJsonTests
{
    /// <summary>The orders-dev sample with one edit applied to its JSON tree.</summary>
    private static string OrdersDevWith(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(SpecSamples.Json(SpecSamples.OrdersDev))!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    private static JsonObject Frontend(JsonObject root) => root["frontend"]!.AsObject();

    private static IReadOnlyList<SpecError> ErrorsOf(string json)
    {
        var result = EnvironmentSpecJson.Parse(json);
        Assert.False(result.IsValid);
        Assert.Null(result.Spec);
        return result.Errors;
    }

    private static SpecError SingleError(string json) => Assert.Single(ErrorsOf(json));

    [Theory]
    [InlineData(SpecSamples.OrdersDev)]
    [InlineData(SpecSamples.PaymentsTest)]
    public void ASampleSurvivesARoundTripUnchanged(string sample)
    {
        var parsed = SpecSamples.Load(sample);

        var again = EnvironmentSpecJson.Parse(EnvironmentSpecJson.Serialize(parsed));

        Assert.True(again.IsValid, string.Join("\n", again.Errors));
        Assert.Equal(parsed, again.Spec);
        Assert.Equal(EnvironmentSpecJson.Serialize(parsed), EnvironmentSpecJson.Serialize(again.Spec));
    }

    [Fact]
    public void TheOrdersDevSampleReadsAsDESIGNMdDescribesIt()
    {
        var spec = SpecSamples.Load(SpecSamples.OrdersDev);

        Assert.Equal("orders-dev", spec.Name);
        Assert.Equal(new ImageRef { Repository = "frontend", Tag = "1.4.2" }, spec.Frontend.Image);
        Assert.Equal("info", spec.Frontend.Environment["LOG_LEVEL"]);
        Assert.Equal("arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/api-AbCdEf:apiKey::", Assert.Single(spec.Frontend.Secrets).ValueFrom);
        Assert.Equal(80, spec.Backend.ListenerPort);
        Assert.StartsWith("sha256:", spec.Backend.Image.Digest);
        Assert.Empty(spec.Backend.Secrets);
    }

    [Fact]
    public void SerializedSpecsAreCamelCaseWithoutAbsentOrDerivedValues()
    {
        var json = EnvironmentSpecJson.Serialize(SpecSamples.Load(SpecSamples.OrdersDev));

        Assert.Contains("\"memoryMiB\": 512", json);
        Assert.Contains("\"LOG_LEVEL\": \"info\"", json); // dictionary keys keep their case
        Assert.DoesNotContain("null", json);
        Assert.DoesNotContain("valueFrom", json);
        Assert.DoesNotContain("stackName", json);
        Assert.DoesNotContain("repositoryName", json);
    }

    [Fact]
    public void TheSharedOptionsBindWhatParseAcceptsAndRejectUnknownFields()
    {
        var json = SpecSamples.Json(SpecSamples.PaymentsTest);

        Assert.Equal(SpecSamples.Load(SpecSamples.PaymentsTest), JsonSerializer.Deserialize<EnvironmentSpec>(json, EnvironmentSpecJson.Options));
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<EnvironmentSpec>(OrdersDevWith(r => r["colour"] = "blue"), EnvironmentSpecJson.Options));
    }

    [Fact]
    public void AnUnknownFieldIsReportedAtItsPathWithTheAcceptedFields()
    {
        var error = SingleError(OrdersDevWith(r => Frontend(r)["colour"] = "blue"));

        Assert.Equal("frontend.colour", error.Path);
        Assert.Contains("Unknown field \"colour\"", error.Message);
        Assert.Contains("containerPort", error.Message);
    }

    [Fact]
    public void AFieldInTheWrongCaseIsUnknownAndTheRightNameIsSuggested()
    {
        var errors = ErrorsOf(OrdersDevWith(r =>
        {
            r.Remove("name");
            r["Name"] = "orders-dev";
        }));

        Assert.Equal(["Name", "name"], errors.Select(e => e.Path));
        Assert.Contains("did you mean name?", errors[0].Message);
        Assert.Contains("missing", errors[1].Message);
    }

    [Theory]
    [InlineData("frontend.containerPort", "\"3000\"", "write the number without quotes")]
    [InlineData("frontend.cpu", "1.5", "not a whole number")]
    [InlineData("frontend.desiredCount", "true", "Expected a whole number from 0 to 20")]
    [InlineData("frontend.healthCheckPath", "42", "write it in quotes")]
    [InlineData("frontend.image", "\"frontend:1.4.2\"", "Expected an object with a repository")]
    [InlineData("frontend.environment", "[]", "Expected an object of NAME: \"value\" pairs, but found a list")]
    [InlineData("frontend.secrets", "{}", "Expected a list of secrets, but found an object")]
    [InlineData("backend.listenerPort", "99999999999", "far outside the accepted range")]
    [InlineData("backend.listenerPort", "-99999999999", "far outside the accepted range")]
    [InlineData("backend.listenerPort", "1e99", "far outside the accepted range")]
    [InlineData("backend.listenerPort", "80.5", "not a whole number")]
    [InlineData("name", "null", "Must not be null")]
    [InlineData("backend", "\"backend\"", "Expected an object describing the backend service, but found the string \"backend\"")]
    public void AValueOfTheWrongTypeIsReportedOnceAtItsPath(string path, string value, string expected)
    {
        var json = OrdersDevWith(r => SetAt(r, path, JsonNode.Parse(value)));

        var error = SingleError(json);

        Assert.Equal(path, error.Path);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void WrongTypesInsideMapsAndListsNameTheKeyAndIndex()
    {
        var json = OrdersDevWith(r =>
        {
            Frontend(r)["environment"]!["PORT"] = 3000;
            r["backend"]!["secrets"] = JsonNode.Parse("""
                [ { "name": "A", "secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf" },
                  { "name": "B", "secretArn": 7 },
                  null ]
                """);
        });

        Assert.Equal(["frontend.environment.PORT", "backend.secrets[1].secretArn", "backend.secrets[2]"], ErrorsOf(json).Select(e => e.Path));
    }

    [Fact]
    public void MissingRequiredFieldsAreEachReportedAndOptionalCollectionsMayBeLeftOut()
    {
        var json = OrdersDevWith(r =>
        {
            r["backend"]!.AsObject().Remove("listenerPort");
            r["backend"]!.AsObject().Remove("environment");
            r["backend"]!.AsObject().Remove("secrets");
            Frontend(r)["image"]!.AsObject().Remove("repository");
        });

        var errors = ErrorsOf(json);

        Assert.Equal(["frontend.image.repository", "backend.listenerPort"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.StartsWith("The field is missing; expected", e.Message));
    }

    [Fact]
    public void ATagOrDigestMayBeNull()
    {
        var result = EnvironmentSpecJson.Parse(OrdersDevWith(r => Frontend(r)["image"]!["digest"] = null));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void AFieldGivenTwiceIsReported()
    {
        var json = SpecSamples.Json(SpecSamples.OrdersDev).Replace("\"target\": \"sandbox\",", "\"target\": \"sandbox\", \"target\": \"prod\",");

        Assert.Equal("target", SingleError(json).Path);
    }

    [Fact]
    public void AVariableGivenTwiceIsReported()
    {
        var json = SpecSamples.Json(SpecSamples.OrdersDev).Replace("\"LOG_LEVEL\": \"info\"", "\"LOG_LEVEL\": \"info\", \"LOG_LEVEL\": \"debug\"");

        var error = SingleError(json);

        Assert.Equal("frontend.environment.LOG_LEVEL", error.Path);
        Assert.Contains("appears more than once", error.Message);
    }

    [Fact]
    public void MalformedJSONIsReportedAtTheRootWithLineAndPosition()
    {
        var error = SingleError("{\n  \"name\": \"orders-dev\",\n  \"target\" \"sandbox\"\n}");

        Assert.Equal("$", error.Path);
        Assert.StartsWith("The spec is not valid JSON at line 3, position 12:", error.Message);
        Assert.Contains("Expected a ':'", error.Message);
    }

    [Fact]
    public void StructuralAndRuleProblemsAreReportedTogetherWithoutRepeats()
    {
        var json = OrdersDevWith(r =>
        {
            r["name"] = "Orders Dev";
            r["owner"] = "me";
            Frontend(r)["containerPort"] = "abc";
            Frontend(r)["memoryMiB"] = 4096;
            r["backend"]!["secrets"] = JsonNode.Parse("""[ { "name": "X", "secretArn": "arn:aws:s3:::bucket" } ]""");
        });

        var errors = ErrorsOf(json);

        // Reading problems first (in document order), then rule problems (in field order).
        Assert.Equal(["frontend.containerPort", "owner", "name", "frontend.memoryMiB", "backend.secrets[0].secretArn"], errors.Select(e => e.Path));
    }

    [Fact]
    public void KnownTargetsAreCheckedWhenGiven()
    {
        var json = SpecSamples.Json(SpecSamples.OrdersDev);

        Assert.True(EnvironmentSpecJson.Parse(json, ["sandbox"]).IsValid);
        var error = Assert.Single(EnvironmentSpecJson.Parse(json, ["prod"]).Errors);
        Assert.Equal(new SpecError("target", "Unknown target \"sandbox\". Known: prod."), error);
    }

    [Fact]
    public void AOneMegabyteValueGetsAShortErrorAtItsField()
    {
        var json = OrdersDevWith(r => Frontend(r)["environment"]!["BIG"] = new string('x', 1 << 20));

        var error = SingleError(json);

        Assert.Equal("frontend.environment.BIG", error.Path);
        Assert.Equal("The value is 1,048,576 characters long; at most 4,096 are allowed (put large configuration in a file or a secret).", error.Message);
    }

    [Fact]
    public void TenThousandVariablesGetOneErrorAtTheEnvironment()
    {
        var json = OrdersDevWith(r => Frontend(r)["environment"] = new JsonObject(
            Enumerable.Range(0, 10_000).Select(i => KeyValuePair.Create($"V{i}", (JsonNode?)JsonValue.Create("x")))));

        var error = SingleError(json);

        Assert.Equal(new SpecError("frontend.environment", "10,000 variables are too many: at most 50 per service."), error);
    }

    [Fact]
    public void ThousandsOfUnknownFieldsAreCapped()
    {
        var json = OrdersDevWith(r =>
        {
            for (var i = 0; i < 5000; i++)
            {
                r[$"extra{i}"] = i;
            }
        });

        var errors = ErrorsOf(json);

        Assert.Equal(SpecLimits.MaxErrors, errors.Count);
        Assert.Equal("$", errors[^1].Path);
        Assert.StartsWith("4,951 more problems", errors[^1].Message);
    }

    public static TheoryData<string> Garbage =>
    [
        "",
        "   ",
        "null",
        "42",
        "\"orders-dev\"",
        "[]",
        "{",
        "{}",
        "{\"name\": }",
        "{'name': 'x'}",
        "{\"name\": \"x\"} trailing",
        "{\"name\": \"\ud800\"}",
        "{\"frontend\": [], \"backend\": 1}",
        "{\"frontend\": {\"image\": {\"repository\": {}}, \"secrets\": [[], 1, \"x\", {\"name\": []}]}}",
        "{\"frontend\": {\"environment\": {\"A\": null, \"B\": {}, \"\": \"\"}}}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];

    [Theory]
    [MemberData(nameof(Garbage))]
    public void GarbageNeverThrowsAndIsNeverValid(string json)
    {
        var errors = ErrorsOf(json);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void ADocumentOverTheSizeCapIsRefusedWhole()
    {
        var error = SingleError(new string(' ', SpecLimits.MaxDocumentLength) + "{}");

        Assert.Equal(new SpecError("$", "The spec is 4,194,306 characters long; at most 4,194,304 are accepted."), error);
    }

    [Fact]
    public void ADocumentOfAMillionBrokenItemsIsAnsweredWithCappedErrors()
    {
        var items = string.Join(",", Enumerable.Repeat("1", 1_000_000));
        var json = OrdersDevWith(r => Frontend(r)["secrets"] = "PLACEHOLDER").Replace("\"PLACEHOLDER\"", $"[{items}]");

        var errors = ErrorsOf(json);

        Assert.Equal(SpecLimits.MaxErrors, errors.Count);
        Assert.Equal("frontend.secrets[0]", errors[0].Path);
        Assert.StartsWith("999,951 more problems", errors[^1].Message);
    }

    [Fact]
    public void HostileTextIsEchoedEscapedAndShortened()
    {
        var errors = ErrorsOf(OrdersDevWith(r => r["name"] = "evil\nname\u0007" + new string('z', 5000)));

        Assert.All(errors, e => Assert.Equal("name", e.Path));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e.Message));
        Assert.All(errors, e => Assert.True(e.Message.Length < 300, e.Message));
        Assert.Contains(errors, e => e.Message.StartsWith("\"evil\\u000aname\\u0007zzz"));
    }

    private static void SetAt(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(root, (node, part) => node[part]!.AsObject());
        parent[parts[^1]] = value;
    }
}
