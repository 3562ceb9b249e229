using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Portal.Sandbox;

/// <summary>
/// The sandbox's account on disk (<see cref="SandboxOptions.DataFolder"/>): one file per stack, live or deleted
/// (<c>stack-&lt;id&gt;.json</c>: its change sets, events, resources, drift detections and any operation in progress), and
/// <c>account.json</c> for what belongs to no stack, <c>messaging.json</c> for the queues (with their messages), rules
/// and queue policies. Every file is replaced whole and atomically: written to a temporary
/// file, flushed to the disk, then renamed over the old one, so a file is always a complete version, old or new, and a
/// process killed mid-write leaves only a temporary file, deleted at the next start. A file that cannot be read anyway
/// (cut short or edited by hand) costs only its own stack: it is set aside as <c>….corrupt</c> (kept for a look, never
/// read again), logged, and every other stack loads. A lock file keeps a second process off the folder.
/// </summary>
internal sealed class SandboxStore : IDisposable
{
    public const string AccountFile = "account.json", MessagingFile = "messaging.json";
    private const string StackPrefix = "stack-", Extension = ".json", TemporaryExtension = ".tmp", CorruptExtension = ".corrupt";

    private static readonly JsonSerializerOptions Json = new();

    private readonly string _folder;
    private readonly ILogger _logger;
    private readonly FileStream _lock;

    public SandboxStore(string folder, ILogger logger)
    {
        _folder = Path.GetFullPath(folder);
        _logger = logger;
        Directory.CreateDirectory(_folder);
        try
        {
            _lock = new FileStream(Path.Combine(_folder, "sandbox.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"{SandboxOptions.SectionName}:{nameof(SandboxOptions.DataFolder)} {_folder} is in use by another sandbox (another portal process?): " +
                "give each its own folder.", e);
        }
    }

    /// <summary>The file of the stack with this id (its ARN ends in a GUID of its own).</summary>
    public static string StackFile(string stackId) => StackPrefix + stackId[(stackId.LastIndexOf('/') + 1)..] + Extension;

    /// <summary>Every stack file that reads, with its name; temporary files of an interrupted write are deleted.</summary>
    public IReadOnlyList<(string File, StackRecord Record)> LoadStacks()
    {
        foreach (var temporary in Directory.EnumerateFiles(_folder, "*" + TemporaryExtension))
            File.Delete(temporary);
        var stacks = new List<(string, StackRecord)>();
        foreach (var path in Directory.EnumerateFiles(_folder, StackPrefix + "*" + Extension).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            if (Read<StackRecord>(file) is { } record)
                stacks.Add((file, record));
        }
        return stacks;
    }

    /// <summary>The account's queues with their messages, its rules and queue policies.</summary>
    public MessagingRecord? LoadMessaging() => File.Exists(Path.Combine(_folder, MessagingFile)) ? Read<MessagingRecord>(MessagingFile) : null;

    public AccountRecord? LoadAccount() => File.Exists(Path.Combine(_folder, AccountFile)) ? Read<AccountRecord>(AccountFile) : null;

    public static byte[] Serialize<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, Json);

    /// <summary>Replaces <paramref name="file"/> atomically with <paramref name="content"/>, on the disk when this returns.</summary>
    public void Write(string file, byte[] content)
    {
        var path = Path.Combine(_folder, file);
        var temporary = path + TemporaryExtension;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Delete(string file) => File.Delete(Path.Combine(_folder, file));

    /// <summary>Moves a file the sandbox cannot use out of the way (<c>….corrupt</c>) and says why.</summary>
    public void SetAside(string file, Exception reason)
    {
        _logger.LogWarning(reason, "Sandbox account file {File} in {Folder} cannot be read; it is set aside as {File}{Corrupt} and the sandbox starts without it",
            file, _folder, file, CorruptExtension);
        File.Move(Path.Combine(_folder, file), Path.Combine(_folder, file + CorruptExtension), overwrite: true);
    }

    private T? Read<T>(string file) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(Path.Combine(_folder, file)), Json)
                   ?? throw new JsonException("the file holds null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            SetAside(file, e);
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}

internal sealed record AccountRecord(IReadOnlyDictionary<string, int> TaskDefinitionRevisions);

/// <summary>A stack as it is kept on disk; templates are kept once each, by <see cref="ConfigurationRecord.Template"/> key.</summary>
internal sealed record StackRecord(
    string Name, string Id, string Region, string AccountId,
    DateTimeOffset CreationTime, DateTimeOffset? LastUpdatedTime, DateTimeOffset? DeletionTime,
    string Status, string? StatusReason, string? ChangeSetId,
    ConfigurationRecord Configuration,
    IReadOnlyList<DeployedResource> Resources,
    IReadOnlyList<SandboxStackEvent> Events, int NextEventSequence, DateTimeOffset LastEventTime,
    IReadOnlyList<ChangeSetRecord> ChangeSets,
    IReadOnlyList<KeyValuePair<string, string>> ExecuteTokens, IReadOnlyList<KeyValuePair<string, string>> DeleteTokens,
    IReadOnlyDictionary<string, OutOfBandRecord> OutOfBand,
    IReadOnlyList<string> DependedOn,
    IReadOnlyList<DriftDetectionRecord> DriftDetections,
    OperationRecord? Operation,
    IReadOnlyDictionary<string, string> Templates,
    IReadOnlyList<SimulatedService>? Services = null);

/// <summary>A <see cref="StackConfiguration"/>: its blueprint as a template key and the parameter values it was bound with.</summary>
internal sealed record ConfigurationRecord(
    string? Template, IReadOnlyDictionary<string, string>? ParameterValues, IReadOnlyList<StackOutput> Outputs,
    IReadOnlyList<StackTag> Tags, IReadOnlyList<string> Capabilities, string? RoleArn);

internal sealed record ChangeSetRecord(
    string Id, string Name, string Type, DateTimeOffset CreationTime, ConfigurationRecord Configuration,
    IReadOnlyList<ResourceChange> Changes, bool ChangesNothing, string? Description, string? ClientToken, string? Execution);

internal sealed record OutOfBandRecord(bool Deleted, IReadOnlyDictionary<string, JsonNode?> Properties);

internal sealed record DriftDetectionRecord(string Id, DateTimeOffset StartedAt, IReadOnlyList<SandboxResourceDrift> Results);

internal sealed record OperationRecord(
    string Kind, string? ClientRequestToken, string? ChangeSetId, ConfigurationRecord? Previous, IReadOnlyList<DeployedResource>? Before,
    bool CancelRequested, IReadOnlyList<string> FailedToCreate, IReadOnlyList<string> FailedToUpdate, IReadOnlyList<string> FailedToDelete,
    IReadOnlyList<string> Touched, IReadOnlyList<DeployedResource> ReplacedOld, IReadOnlyList<DeployedResource> ReplacementNew,
    IReadOnlyDictionary<string, StepRecord> Steps);

internal sealed record StepRecord(DateTimeOffset StartedAt, bool? Succeeded);
