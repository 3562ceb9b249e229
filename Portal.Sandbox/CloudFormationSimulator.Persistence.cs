using System.Security.Cryptography;
using System.Text;

namespace Portal.Sandbox;

/// <summary>
/// The account on disk (<see cref="SandboxStore"/>), when <see cref="SandboxOptions.DataFolder"/> is set: every change
/// marks its stack, and <see cref="Persist"/> writes the marked stacks before the sandbox answers a request, so whatever a
/// caller was told survives the process, as it would at AWS. What changed since (an operation's progress nobody asked
/// about yet) is redone after a restart: operations resume from their recorded steps.
/// </summary>
internal sealed partial class CloudFormationSimulator
{
    private readonly HashSet<SandboxStack> _changed = [];
    private readonly List<string> _dropped = [];
    private readonly Lock _writeGate = new();
    private SandboxStore? _store;
    private IReadOnlyDictionary<string, int> _writtenRevisions = new Dictionary<string, int>();

    /// <summary>Marks a stack to be written at the next <see cref="Persist"/>. Called under the lock.</summary>
    public void Changed(SandboxStack stack)
    {
        if (_store is not null)
            _changed.Add(stack);
    }

    /// <summary>A stack forgotten for good: its file goes at the next <see cref="Persist"/>. Called under the lock.</summary>
    private void Dropped(SandboxStack stack)
    {
        if (_store is null)
            return;
        _changed.Remove(stack);
        _dropped.Add(SandboxStore.StackFile(stack.Id));
    }

    /// <summary>Writes every stack changed since the last call (atomically, each its own file); returns once they are on disk.</summary>
    public void Persist()
    {
        lock (_writeGate)
        {
            if (_store is null)
                return;
            List<SandboxStack> stacks;
            var writes = new List<(string File, byte[] Content)>();
            List<string> deletes;
            lock (Gate)
            {
                stacks = [.. _changed];
                writes.AddRange(stacks.Select(s => (SandboxStore.StackFile(s.Id), SandboxStore.Serialize(Record(s)))));
                _changed.Clear();
                deletes = [.. _dropped];
                _dropped.Clear();
                if (MessagingFile() is { } messaging)
                    writes.Add((SandboxStore.MessagingFile, messaging));
            }
            var revisions = Fakes.TaskDefinitionRevisions;
            if (!revisions.SequenceEqual(_writtenRevisions))
                writes.Add((SandboxStore.AccountFile, SandboxStore.Serialize(new AccountRecord(revisions))));
            try
            {
                foreach (var (file, content) in writes)
                    _store.Write(file, content);
                foreach (var file in deletes)
                    _store.Delete(file);
                _writtenRevisions = revisions;
            }
            catch
            {
                // Not on disk (a full disk, say): try these again at the next call.
                lock (Gate)
                {
                    _changed.UnionWith(stacks.Where(s => _stacksById.ContainsKey(s.Id)));
                    _dropped.AddRange(deletes);
                    _messagingChanged |= writes.Any(w => w.File == SandboxStore.MessagingFile);
                }
                throw;
            }
        }
    }

    /// <summary>Stops writing (nothing is written after this returns) and lets another sandbox take the folder.</summary>
    private void CloseStore()
    {
        lock (_writeGate)
        {
            _store?.Dispose();
            _store = null;
        }
    }

    /// <summary>Reads the account from <paramref name="store"/> and resumes the operations that were in progress.</summary>
    private void Load(SandboxStore store)
    {
        if (store.LoadAccount() is { } account)
        {
            Fakes = new FakeResourceFactory(Options.Region, Options.AccountId) { TaskDefinitionRevisions = account.TaskDefinitionRevisions };
            _writtenRevisions = Fakes.TaskDefinitionRevisions;
        }

        var deleted = new List<SandboxStack>();
        lock (Gate)
        {
            LoadMessaging(store.LoadMessaging());
            foreach (var (file, record) in store.LoadStacks())
            {
                SandboxStack stack;
                try
                {
                    stack = Restore(record);
                }
                catch (Exception e) when (e is CloudFormationError or KeyNotFoundException or InvalidOperationException or ArgumentException or NullReferenceException)
                {
                    // Reads as JSON but is no stack the sandbox could have written.
                    store.SetAside(file, e);
                    continue;
                }
                _stacksById[stack.Id] = stack;
                foreach (var changeSet in stack.ChangeSets.Values)
                    _changeSetsById[changeSet.Id] = changeSet;
                foreach (var detection in stack.DriftDetections)
                    _driftDetections[detection.Id] = detection;
                if (stack.Status == "DELETE_COMPLETE" && stack.Operation is null)
                    deleted.Add(stack);
                else
                    _stacksByName[stack.Name] = stack;
            }
            foreach (var stack in deleted.OrderBy(s => s.DeletionTime))
                _deletedStacks.Enqueue(stack);
            _store = store;
            while (_deletedStacks.Count > Options.MaxDeletedStacks)
                Forget(_deletedStacks.Dequeue());
            foreach (var stack in _stacksById.Values.Where(s => s.Operation is not null))
                stack.Operation!.Continue();
        }
        Persist();
    }

    private StackRecord Record(SandboxStack stack)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        ConfigurationRecord Configuration(StackConfiguration configuration)
        {
            string? key = null;
            if (configuration.Blueprint?.Template.Body is { } body)
            {
                key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..16];
                templates[key] = body;
            }
            return new ConfigurationRecord(key, configuration.Blueprint?.ParameterValues, configuration.Outputs, configuration.Tags,
                configuration.Capabilities, configuration.RoleArn);
        }

        var progress = stack.Operation?.Progress;
        return new StackRecord(
            stack.Name, stack.Id, stack.Identity.Region, stack.Identity.AccountId,
            stack.CreationTime, stack.LastUpdatedTime, stack.DeletionTime, stack.Status, stack.StatusReason, stack.ChangeSetId,
            Configuration(stack.Configuration),
            [.. stack.Resources.Values],
            [.. stack.Events], stack.NextEventSequence, stack.LastEventTime,
            [.. stack.ChangeSets.Values.Select(c => new ChangeSetRecord(c.Id, c.Name, c.Type, c.CreationTime, Configuration(c.Configuration),
                c.Changes, c.ChangesNothing, c.Description, c.ClientToken, c.Execution))],
            [.. stack.ExecuteTokens.Entries], [.. stack.DeleteTokens.Entries],
            stack.OutOfBand.ToDictionary(kv => kv.Key, kv => new OutOfBandRecord(kv.Value.Deleted, new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(kv.Value.Properties))),
            [.. stack.DependedOn],
            [.. stack.DriftDetections.Select(d => new DriftDetectionRecord(d.Id, d.StartedAt, d.Results))],
            progress is null ? null : new OperationRecord(
                progress.Kind, progress.ClientRequestToken, progress.ChangeSetId,
                progress.Previous is null ? null : Configuration(progress.Previous), progress.Before?.Values.ToList(),
                progress.CancelRequested, [.. progress.FailedToCreate], [.. progress.FailedToUpdate], [.. progress.FailedToDelete],
                [.. progress.Touched], [.. progress.ReplacedOld.Values], [.. progress.ReplacementNew.Values],
                progress.Steps.ToDictionary(kv => kv.Key, kv => new StepRecord(kv.Value.StartedAt, kv.Value.Succeeded))),
            templates,
            [.. stack.Services]);
    }

    private SandboxStack Restore(StackRecord record)
    {
        var identity = new StackIdentity(record.Name, record.Id, record.Region, record.AccountId);
        var parsed = record.Templates.ToDictionary(kv => kv.Key, kv => SandboxTemplate.Parse(kv.Value), StringComparer.Ordinal);
        StackConfiguration Configuration(ConfigurationRecord configuration) => new(
            configuration.Template is null ? null
                : StackBlueprint.Instantiate(parsed[configuration.Template], identity, configuration.ParameterValues ?? new Dictionary<string, string>()),
            configuration.Outputs, configuration.Tags, configuration.Capabilities, configuration.RoleArn);
        static Dictionary<string, DeployedResource> ById(IEnumerable<DeployedResource> resources) =>
            resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);

        var stack = new SandboxStack(identity, record.CreationTime)
        {
            LastUpdatedTime = record.LastUpdatedTime,
            DeletionTime = record.DeletionTime,
            Status = record.Status,
            StatusReason = record.StatusReason,
            ChangeSetId = record.ChangeSetId,
            Configuration = Configuration(record.Configuration),
            NextEventSequence = record.NextEventSequence,
            LastEventTime = record.LastEventTime,
        };
        foreach (var resource in record.Resources)
            stack.Resources[resource.LogicalId] = resource;
        stack.Events.AddRange(record.Events);
        foreach (var changeSet in record.ChangeSets)
            stack.ChangeSets[changeSet.Name] = new SandboxChangeSet
            {
                Id = changeSet.Id,
                Name = changeSet.Name,
                Type = changeSet.Type,
                Stack = stack,
                CreationTime = changeSet.CreationTime,
                Configuration = Configuration(changeSet.Configuration),
                Changes = changeSet.Changes,
                ChangesNothing = changeSet.ChangesNothing,
                Description = changeSet.Description,
                ClientToken = changeSet.ClientToken,
                Execution = changeSet.Execution,
            };
        foreach (var (token, outcome) in record.ExecuteTokens)
            stack.ExecuteTokens.Add(token, outcome);
        foreach (var (token, outcome) in record.DeleteTokens)
            stack.DeleteTokens.Add(token, outcome);
        foreach (var (logicalId, change) in record.OutOfBand)
        {
            var restored = stack.OutOfBand[logicalId] = new OutOfBandChange { Deleted = change.Deleted };
            foreach (var (path, value) in change.Properties)
                restored.Properties[path] = value;
        }
        stack.DependedOn.UnionWith(record.DependedOn);
        stack.Services.AddRange(record.Services ?? []);
        stack.DriftDetections.AddRange(record.DriftDetections.Select(d => new SandboxDriftDetection(d.Id, stack, d.StartedAt, d.Results)));
        if (record.Operation is { } operation)
        {
            var progress = new OperationProgress
            {
                Kind = operation.Kind,
                ClientRequestToken = operation.ClientRequestToken,
                ChangeSetId = operation.ChangeSetId,
                Previous = operation.Previous is null ? null : Configuration(operation.Previous),
                Before = operation.Before is null ? null : ById(operation.Before),
                CancelRequested = operation.CancelRequested,
                FailedToCreate = [.. operation.FailedToCreate],
                FailedToUpdate = [.. operation.FailedToUpdate],
                FailedToDelete = [.. operation.FailedToDelete],
                Touched = new HashSet<string>(operation.Touched, StringComparer.Ordinal),
                ReplacedOld = ById(operation.ReplacedOld),
                ReplacementNew = ById(operation.ReplacementNew),
                Steps = operation.Steps.ToDictionary(kv => kv.Key, kv => new StepProgress(kv.Value.StartedAt) { Succeeded = kv.Value.Succeeded }, StringComparer.Ordinal),
            };
            if (progress.Kind is not ("CREATE" or "UPDATE" or "DELETE") || (progress.Kind != "DELETE" && stack.ChangeSets.Values.All(c => c.Id != progress.ChangeSetId)) ||
                (progress.Kind == "UPDATE" && (progress.Previous?.Blueprint is null || progress.Before is null)))
                throw new InvalidOperationException($"Stack {record.Id}: its {progress.Kind} operation lacks what it needs to resume.");
            stack.Operation = new StackOperation(this, stack, progress);
        }
        return stack;
    }
}
