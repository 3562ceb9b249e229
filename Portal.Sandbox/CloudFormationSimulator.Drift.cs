using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

internal sealed record DriftDetectionView(string StackId, string Id, string DetectionStatus, string? StackDriftStatus, int? DriftedCount, DateTimeOffset StartedAt);

internal sealed record ResourceDriftsPage(IReadOnlyList<SandboxResourceDrift> Drifts, string? NextToken);

/// <summary>Drift detection: DetectStackDrift, DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts, and out-of-band changes.</summary>
internal sealed partial class CloudFormationSimulator
{
    private static readonly HashSet<string> DriftCheckableStatuses =
        ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    private readonly Dictionary<string, SandboxDriftDetection> _driftDetections = new(StringComparer.Ordinal);

    /// <summary>Records a change made outside CloudFormation: <paramref name="actualValue"/> null removes the property, <paramref name="deleted"/> the resource.</summary>
    public void ChangeOutOfBand(string stackName, string logicalId, string? propertyPath, JsonNode? actualValue, bool deleted)
    {
        lock (Gate)
        {
            var stack = FindActiveStack(stackName) ?? throw new ArgumentException($"stackName: no stack '{stackName}' exists in the sandbox.", nameof(stackName));
            if (!stack.Resources.ContainsKey(logicalId))
                throw new ArgumentException($"logicalId: stack '{stackName}' has no resource '{logicalId}'.", nameof(logicalId));
            // A path that cannot be applied is refused now, not when a detection meets it.
            if (!deleted)
                JsonPointer.Set(Expected(stack, logicalId, stack.Configuration.Blueprint!.Evaluator(stack.Resources)), propertyPath!, actualValue?.DeepClone());
            if (!stack.OutOfBand.TryGetValue(logicalId, out var change))
                stack.OutOfBand[logicalId] = change = new OutOfBandChange();
            if (deleted)
                change.Deleted = true;
            else
                change.Properties[propertyPath!] = actualValue?.DeepClone();
            Changed(stack);
        }
    }

    public void AddDependentObject(string stackName, string logicalId)
    {
        lock (Gate)
        {
            var stack = FindActiveStack(stackName) ?? throw new ArgumentException($"stackName: no stack '{stackName}' exists in the sandbox.", nameof(stackName));
            if (!stack.Resources.ContainsKey(logicalId))
                throw new ArgumentException($"logicalId: stack '{stackName}' has no resource '{logicalId}'.", nameof(logicalId));
            stack.DependedOn.Add(logicalId);
            Changed(stack);
        }
    }

    public string DetectStackDrift(string stackName, IReadOnlyList<string> logicalIds)
    {
        lock (Gate)
        {
            var stack = FindActiveStack(stackName) ?? throw CloudFormationError.StackNotFound(stackName);
            if (!DriftCheckableStatuses.Contains(stack.Status) || stack.Operation is not null)
                throw CloudFormationError.Validation($"Drift detection is not supported for stack [{stack.Name}] in status {stack.Status}.");
            foreach (var unknown in logicalIds.Where(id => !stack.Resources.ContainsKey(id)))
                throw CloudFormationError.Validation($"Resource [{unknown}] does not exist in stack [{stack.Name}].");

            var now = Time.GetUtcNow();
            var evaluator = stack.Configuration.Blueprint!.Evaluator(stack.Resources);
            var results = stack.Resources.Values
                .Where(r => logicalIds.Count == 0 || logicalIds.Contains(r.LogicalId))
                .OrderBy(r => r.LogicalId, StringComparer.Ordinal)
                .Select(r => Check(stack, r, evaluator, now))
                .ToList();
            var detection = new SandboxDriftDetection(Guid.NewGuid().ToString(), stack, now, results);
            _driftDetections[detection.Id] = detection;
            stack.DriftDetections.Add(detection);
            while (stack.DriftDetections.Count > Options.MaxDriftDetectionsPerStack)
            {
                _driftDetections.Remove(stack.DriftDetections[0].Id);
                stack.DriftDetections.RemoveAt(0);
            }
            Changed(stack);
            return detection.Id;
        }
    }

    public DriftDetectionView DescribeStackDriftDetectionStatus(string detectionId)
    {
        lock (Gate)
        {
            var detection = _driftDetections.GetValueOrDefault(detectionId)
                ?? throw CloudFormationError.Validation($"Drift detection [{detectionId}] does not exist.");
            var complete = detection.IsCompleteAt(Time.GetUtcNow(), Options.TimeScale);
            return complete
                ? new DriftDetectionView(detection.Stack.Id, detection.Id, "DETECTION_COMPLETE",
                    detection.DriftedCount > 0 ? "DRIFTED" : "IN_SYNC", detection.DriftedCount, detection.StartedAt)
                : new DriftDetectionView(detection.Stack.Id, detection.Id, "DETECTION_IN_PROGRESS", null, null, detection.StartedAt);
        }
    }

    /// <summary>The results of the stack's newest completed detection (none before one completes).</summary>
    public ResourceDriftsPage DescribeStackResourceDrifts(string stackName, IReadOnlyList<string> statusFilters, string? nextToken, int pageSize)
    {
        lock (Gate)
        {
            var stack = FindStack(stackName) ?? throw CloudFormationError.StackNotFound(stackName);
            var now = Time.GetUtcNow();
            var latest = stack.DriftDetections.LastOrDefault(d => d.IsCompleteAt(now, Options.TimeScale));
            var drifts = (latest?.Results ?? []).Where(r => statusFilters.Count == 0 || statusFilters.Contains(r.Status)).ToList();
            var start = nextToken is null ? 0 : ReadToken(nextToken, latest?.Id ?? stack.Id);
            var page = drifts.Skip(start).Take(pageSize).ToList();
            return new ResourceDriftsPage(page, start + page.Count < drifts.Count ? Token(latest!.Id, start + page.Count) : null);
        }
    }

    private static SandboxResourceDrift Check(SandboxStack stack, DeployedResource resource, IntrinsicEvaluator evaluator, DateTimeOffset now)
    {
        JsonObject expected;
        try
        {
            expected = Expected(stack, resource.LogicalId, evaluator);
        }
        catch (CloudFormationError)
        {
            return new SandboxResourceDrift(stack.Id, resource.LogicalId, resource.PhysicalId, resource.Type, "{}", null, [], "NOT_CHECKED", now);
        }
        var expectedJson = expected.ToJsonString();
        var change = stack.OutOfBand.GetValueOrDefault(resource.LogicalId);
        if (change is { Deleted: true })
            return new SandboxResourceDrift(stack.Id, resource.LogicalId, resource.PhysicalId, resource.Type, expectedJson, null, [], "DELETED", now);

        var actual = (JsonObject)expected.DeepClone();
        var differences = new List<SandboxPropertyDifference>();
        foreach (var (path, value) in change?.Properties ?? [])
        {
            var before = JsonPointer.Find(expected, path);
            if (before.Found && JsonNode.DeepEquals(before.Value, value))
                continue;
            JsonPointer.Set(actual, path, value?.DeepClone());
            var type = !before.Found ? "ADD" : value is null ? "REMOVE" : "NOT_EQUAL";
            differences.Add(new SandboxPropertyDifference(path, Text(before.Value), Text(value), type));
        }
        return new SandboxResourceDrift(stack.Id, resource.LogicalId, resource.PhysicalId, resource.Type, expectedJson, actual.ToJsonString(),
            differences, differences.Count > 0 ? "MODIFIED" : "IN_SYNC", now);
    }

    /// <summary>The resource's properties as the template sets them, intrinsics resolved.</summary>
    private static JsonObject Expected(SandboxStack stack, string logicalId, IntrinsicEvaluator evaluator) =>
        evaluator.Evaluate(stack.Configuration.Blueprint!.ResourcesById.GetValueOrDefault(logicalId)?.Properties) as JsonObject ?? [];

    /// <summary>A value as a difference shows it: strings bare, anything else as JSON, nothing as "null".</summary>
    private static string Text(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";
}

/// <summary>JSON pointers (RFC 6901) into resource properties, as drift results name them: <c>/Tags/0/Value</c>.</summary>
internal static class JsonPointer
{
    public static (bool Found, JsonNode? Value) Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(path))
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var child):
                    node = child;
                    break;
                case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                    node = a[i];
                    break;
                default:
                    return (false, null);
            }
        }
        return (true, node);
    }

    /// <summary>Sets (or with null, removes) the value at <paramref name="path"/>, creating objects on the way.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        JsonNode parent = root;
        foreach (var token in tokens[..^1])
        {
            parent = parent switch
            {
                JsonObject o => o[token] ??= new JsonObject(),
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i] ?? (a[i] = new JsonObject()),
                _ => throw new ArgumentException($"propertyPath: '{path}' does not lead into an object or array.", nameof(path)),
            };
        }
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when value is null:
                o.Remove(last);
                break;
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-" && value is not null:
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                if (value is null) a.RemoveAt(i);
                else a[i] = value;
                break;
            default:
                throw new ArgumentException($"propertyPath: '{path}' does not name a property.", nameof(path));
        }
    }

    /// <summary>Checks a pointer and splits it into its unescaped tokens.</summary>
    public static string[] Tokens(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Length == 1)
            throw new ArgumentException($"propertyPath: '{path}' is not a JSON pointer such as /DesiredCount or /Tags/0/Value.", nameof(path));
        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }
}
