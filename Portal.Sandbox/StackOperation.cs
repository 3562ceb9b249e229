using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>
/// What an operation has done so far. It is part of the stack (and so of the sandbox's account on disk), so an operation
/// the process did not finish resumes where it was: each step (one resource in one phase, keyed
/// <c>phase/logicalId</c>) with when it started and, once over, whether it succeeded; an update's starting point; the
/// failures so far. Mutated only under the simulator's lock.
/// </summary>
internal sealed class OperationProgress
{
    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public required string Kind { get; init; }
    public string? ClientRequestToken { get; init; }

    /// <summary>The change set a create or update executes.</summary>
    public string? ChangeSetId { get; init; }

    /// <summary>An update's starting point: the stack's configuration and resources before it.</summary>
    public StackConfiguration? Previous { get; init; }
    public Dictionary<string, DeployedResource>? Before { get; init; }

    public bool CancelRequested { get; set; }
    public List<string> FailedToCreate { get; init; } = [];
    public List<string> FailedToUpdate { get; init; } = [];
    public List<string> FailedToDelete { get; init; } = [];
    public HashSet<string> Touched { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, DeployedResource> ReplacedOld { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, DeployedResource> ReplacementNew { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, StepProgress> Steps { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>One step of an operation: when it started (its duration counts from then) and, once over, its outcome.</summary>
internal sealed class StepProgress(DateTimeOffset startedAt)
{
    public DateTimeOffset StartedAt { get; } = startedAt;
    public bool? Succeeded { get; set; }
}

/// <summary>
/// One create, update or delete of a stack, run in the background. Resources start as soon as everything
/// they depend on has completed (deletes: once everything depending on them is gone), each emitting the
/// events CloudFormation emits; a failure cancels what is in flight and rolls the stack back. Each phase is the
/// stack's status (CREATE_IN_PROGRESS, ROLLBACK_IN_PROGRESS, …) and each step records its progress, so an operation
/// restored from disk skips what it already did and emits no event twice.
/// </summary>
internal sealed class StackOperation
{
    private readonly CloudFormationSimulator _simulator;
    private readonly SandboxStack _stack;
    private readonly OperationProgress _progress;
    private readonly CancellationTokenSource _interrupt;

    public StackOperation(CloudFormationSimulator simulator, SandboxStack stack, OperationProgress progress)
    {
        _simulator = simulator;
        _stack = stack;
        _progress = progress;
        _interrupt = CancellationTokenSource.CreateLinkedTokenSource(simulator.ShutdownToken);
        if (progress.CancelRequested)
            _interrupt.Cancel();
    }

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public string Kind => _progress.Kind;

    public OperationProgress Progress => _progress;

    /// <summary>CancelUpdateStack: stop what is in flight and roll back. Called under the simulator's lock.</summary>
    public void RequestCancel()
    {
        _progress.CancelRequested = true;
        _simulator.Changed(_stack);
        _interrupt.Cancel();
    }

    /// <summary>
    /// Puts the stack in <paramref name="initialStatus"/> before the caller's request is answered (so nobody
    /// polling afterwards sees the previous status), then runs the rest in the background.
    /// </summary>
    public void Start(string initialStatus)
    {
        StackEvent(initialStatus, "User Initiated");
        Continue();
    }

    /// <summary>Runs (or, restored from disk, resumes) the operation in the background.</summary>
    public void Continue() => _ = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var shutDown = false;
        try
        {
            SandboxChangeSet? changeSet;
            string status;
            lock (_simulator.Gate)
            {
                changeSet = _stack.ChangeSets.Values.FirstOrDefault(c => c.Id == _progress.ChangeSetId);
                status = _stack.Status;
            }
            // Restored after its last event but before it was let go: nothing is left to do.
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
                return;
            await (Kind switch
            {
                "CREATE" => CreateAsync(changeSet!),
                "UPDATE" => UpdateAsync(changeSet!),
                _ => DeleteAsync(),
            });
        }
        catch (OperationCanceledException) when (_simulator.ShutdownToken.IsCancellationRequested)
        {
            // The sandbox is shutting down: the stack stays as it is, its operation with it, to resume at the next start.
            shutDown = true;
        }
        catch (Exception e)
        {
            StackEvent($"{Kind}_FAILED", $"Sandbox internal error: {e.Message}");
        }
        finally
        {
            if (!shutDown)
                _simulator.Finished(_stack);
            _interrupt.Dispose();
        }
    }

    private string Status()
    {
        lock (_simulator.Gate)
            return _stack.Status;
    }

    public async Task CreateAsync(SandboxChangeSet changeSet)
    {
        var blueprint = changeSet.Blueprint;
        if (Status() == "CREATE_IN_PROGRESS")
        {
            var created = await WalkAsync(
                blueprint.Resources.Select(r => r.LogicalId).ToList(),
                id => blueprint.ResourcesById[id].Dependencies,
                (id, ct) => CreateResourceAsync("CREATE_IN_PROGRESS", blueprint, id, ct),
                stopOnFailure: true);
            if (created)
            {
                lock (_simulator.Gate)
                {
                    Complete(changeSet, changeSet.Configuration with { Outputs = Outputs(blueprint) }, "EXECUTE_COMPLETE");
                    StackEvent("CREATE_COMPLETE", null);
                }
                return;
            }
            StackEvent("ROLLBACK_IN_PROGRESS", $"{FailureSummary()} Rollback requested by user.");
        }

        await DeleteAllAsync("ROLLBACK_IN_PROGRESS", Snapshot(), blueprint, forget: _ => true);
        lock (_simulator.Gate)
        {
            Complete(changeSet, changeSet.Configuration, "EXECUTE_FAILED");
            StackEvent("ROLLBACK_COMPLETE", null);
        }
    }

    public async Task UpdateAsync(SandboxChangeSet changeSet)
    {
        var next = changeSet.Blueprint;
        var previous = _progress.Previous!;
        var before = _progress.Before!;
        var old = previous.Blueprint!;
        var changes = changeSet.Changes.ToDictionary(c => c.LogicalResourceId, StringComparer.Ordinal);

        if (Status() == "UPDATE_IN_PROGRESS")
        {
            var updated = await WalkAsync(
                next.Resources.Select(r => r.LogicalId).ToList(),
                id => next.ResourcesById[id].Dependencies,
                (id, ct) => changes.GetValueOrDefault(id) switch
                {
                    null => Task.FromResult(true),
                    { Action: "Add" } => CreateResourceAsync("UPDATE_IN_PROGRESS", next, id, ct),
                    { Replaces: true } => ReplaceResourceAsync(old, next, id, ct),
                    _ => UpdateResourceAsync(next, id, ct),
                },
                stopOnFailure: true);
            lock (_simulator.Gate)
            {
                // Decided under the lock so that CancelUpdateStack either lands before cleanup or is refused.
                if (updated && !_progress.CancelRequested)
                    StackEvent("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
                else
                    StackEvent("UPDATE_ROLLBACK_IN_PROGRESS", _progress.CancelRequested ? "Stack update cancelled" : FailureSummary());
            }
        }

        if (Status() == "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
        {
            var removed = changes.Values.Where(c => c.Action == "Remove").Select(c => c.LogicalResourceId).ToHashSet(StringComparer.Ordinal);
            var obsolete = removed.ToDictionary(id => id, id => before[id], StringComparer.Ordinal);
            lock (_simulator.Gate)
                foreach (var (id, replaced) in _progress.ReplacedOld)
                    obsolete[id] = replaced;
            await DeleteAllAsync("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", obsolete, old, forget: removed.Contains);
            lock (_simulator.Gate)
            {
                Complete(changeSet, changeSet.Configuration with { Outputs = Outputs(next) }, "EXECUTE_COMPLETE");
                StackEvent("UPDATE_COMPLETE", null);
            }
            return;
        }

        if (Status() == "UPDATE_ROLLBACK_IN_PROGRESS")
        {
            List<string> reverted;
            lock (_simulator.Gate)
                reverted = _progress.Touched.Where(before.ContainsKey).ToList();
            await WalkAsync(
                reverted,
                id => old.ResourcesById.TryGetValue(id, out var r) ? r.Dependencies : [],
                (id, _) => RevertResourceAsync(before[id]),
                stopOnFailure: false);
            StackEvent("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", null);
        }

        var added = Snapshot().Where(kv => !before.ContainsKey(kv.Key)).ToDictionary(StringComparer.Ordinal);
        lock (_simulator.Gate)
            foreach (var (id, replacement) in _progress.ReplacementNew)
                added[id] = replacement;
        await DeleteAllAsync("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", added, next, forget: id => !before.ContainsKey(id));
        lock (_simulator.Gate)
        {
            Complete(changeSet, previous, "EXECUTE_FAILED");
            StackEvent("UPDATE_ROLLBACK_COMPLETE", null);
        }
    }

    public async Task DeleteAsync()
    {
        StackBlueprint? blueprint;
        lock (_simulator.Gate)
            blueprint = _stack.Configuration.Blueprint;
        if (!await DeleteAllAsync("DELETE_IN_PROGRESS", Snapshot(), blueprint, forget: _ => true, failDependedOn: true))
        {
            StackEvent("DELETE_FAILED", $"The following resource(s) failed to delete: [{string.Join(", ", _progress.FailedToDelete)}]. ");
            return;
        }
        lock (_simulator.Gate)
        {
            _stack.DeletionTime = _simulator.Time.GetUtcNow();
            _stack.Configuration = _stack.Configuration with { Outputs = [] };
            StackEvent("DELETE_COMPLETE", null);
        }
    }

    private Task<bool> CreateResourceAsync(string phase, StackBlueprint blueprint, string logicalId, CancellationToken ct)
    {
        var resource = blueprint.ResourcesById[logicalId];
        return StepAsync(phase, logicalId, resource.Type, ct,
            begin: () =>
            {
                ResourceEvent(logicalId, "", resource.Type, "CREATE_IN_PROGRESS", null);
                DeployedResource created;
                try
                {
                    created = _simulator.Fakes.Create(logicalId, resource.Type, Render(blueprint, resource).Properties, blueprint.Stack);
                    _simulator.MessagingDeploying(_stack, blueprint, resource, created);
                }
                catch (CloudFormationError e)
                {
                    return Failed(logicalId, "", resource.Type, "CREATE_FAILED", e.Message, _progress.FailedToCreate);
                }
                _stack.Resources[logicalId] = created;
                ResourceEvent(logicalId, created.PhysicalId, resource.Type, "CREATE_IN_PROGRESS", "Resource creation Initiated");
                _simulator.ServiceDeploying(_stack, blueprint, resource, created);
                return true;
            },
            end: waited =>
            {
                var created = _stack.Resources[logicalId];
                if (!waited)
                {
                    _simulator.ServiceInterrupted(_stack, created.PhysicalId);
                    return Failed(logicalId, created.PhysicalId, resource.Type, "CREATE_FAILED", "Resource creation cancelled", _progress.FailedToCreate);
                }
                if (Failure(blueprint, resource) is { } failure)
                    return Failed(logicalId, created.PhysicalId, resource.Type, "CREATE_FAILED", failure, _progress.FailedToCreate);
                ResourceEvent(logicalId, created.PhysicalId, resource.Type, "CREATE_COMPLETE", null);
                return true;
            });
    }

    private Task<bool> UpdateResourceAsync(StackBlueprint blueprint, string logicalId, CancellationToken ct)
    {
        var resource = blueprint.ResourcesById[logicalId];
        return StepAsync("UPDATE_IN_PROGRESS", logicalId, resource.Type, ct,
            begin: () =>
            {
                var current = _stack.Resources[logicalId];
                _progress.Touched.Add(logicalId);
                ResourceEvent(logicalId, current.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS", null);
                try
                {
                    Render(blueprint, resource);
                    _simulator.MessagingDeploying(_stack, blueprint, resource, current);
                }
                catch (CloudFormationError e)
                {
                    return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", e.Message, _progress.FailedToUpdate);
                }
                _simulator.ServiceDeploying(_stack, blueprint, resource, current);
                return true;
            },
            end: waited =>
            {
                var current = _stack.Resources[logicalId];
                if (!waited)
                {
                    _simulator.ServiceInterrupted(_stack, current.PhysicalId);
                    return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", "Resource update cancelled", _progress.FailedToUpdate);
                }
                if (Failure(blueprint, resource) is { } failure)
                    return Failed(logicalId, current.PhysicalId, resource.Type, "UPDATE_FAILED", failure, _progress.FailedToUpdate);
                ResourceEvent(logicalId, current.PhysicalId, resource.Type, "UPDATE_COMPLETE", null);
                return true;
            });
    }

    private Task<bool> ReplaceResourceAsync(StackBlueprint old, StackBlueprint next, string logicalId, CancellationToken ct)
    {
        var resource = next.ResourcesById[logicalId];
        return StepAsync("UPDATE_IN_PROGRESS", logicalId, resource.Type, ct,
            begin: () =>
            {
                var previous = _stack.Resources[logicalId];
                _progress.Touched.Add(logicalId);
                ResourceEvent(logicalId, previous.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS",
                    "Requested update requires the creation of a new physical resource; hence creating one.");
                DeployedResource created;
                try
                {
                    var properties = Render(next, resource).Properties;
                    // The new resource would need the name the old one still holds.
                    if (ResourceCatalog.CustomNameProperty(resource.Type) is { } nameProperty && properties[nameProperty] is { } name &&
                        JsonNode.DeepEquals(resource.Properties[nameProperty], old.ResourcesById[logicalId].Properties[nameProperty]))
                        return Failed(logicalId, previous.PhysicalId, resource.Type, "UPDATE_FAILED",
                            $"CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename {name} and update the stack again.",
                            _progress.FailedToUpdate);
                    created = _simulator.Fakes.Create(logicalId, resource.Type, properties, next.Stack);
                    _simulator.MessagingDeploying(_stack, next, resource, created);
                }
                catch (CloudFormationError e)
                {
                    return Failed(logicalId, previous.PhysicalId, resource.Type, "UPDATE_FAILED", e.Message, _progress.FailedToUpdate);
                }
                _progress.ReplacedOld[logicalId] = previous;
                _progress.ReplacementNew[logicalId] = created;
                _stack.Resources[logicalId] = created;
                ResourceEvent(logicalId, created.PhysicalId, resource.Type, "UPDATE_IN_PROGRESS", "Resource creation Initiated");
                _simulator.ServiceDeploying(_stack, next, resource, created);
                return true;
            },
            end: waited =>
            {
                var created = _progress.ReplacementNew[logicalId];
                if (!waited)
                {
                    _simulator.ServiceInterrupted(_stack, created.PhysicalId);
                    return Failed(logicalId, created.PhysicalId, resource.Type, "UPDATE_FAILED", "Resource update cancelled", _progress.FailedToUpdate);
                }
                if (Failure(next, resource) is { } failure)
                    return Failed(logicalId, created.PhysicalId, resource.Type, "UPDATE_FAILED", failure, _progress.FailedToUpdate);
                ResourceEvent(logicalId, created.PhysicalId, resource.Type, "UPDATE_COMPLETE", null);
                return true;
            });
    }

    private Task<bool> RevertResourceAsync(DeployedResource previous) =>
        StepAsync("UPDATE_ROLLBACK_IN_PROGRESS", previous.LogicalId, previous.Type, _simulator.ShutdownToken,
            begin: () =>
            {
                ResourceEvent(previous.LogicalId, previous.PhysicalId, previous.Type, "UPDATE_IN_PROGRESS", null);
                _simulator.ServiceReverting(_stack, previous);
                if (_progress.Previous?.Blueprint is { } old && old.ResourcesById.TryGetValue(previous.LogicalId, out var template))
                {
                    try
                    {
                        _simulator.MessagingDeploying(_stack, old, template, previous);
                    }
                    catch (CloudFormationError)
                    {
                        // what deployed before deploys again; a property that no longer renders leaves the resource as it is
                    }
                }
                return true;
            },
            end: _ =>
            {
                _stack.Resources[previous.LogicalId] = previous;
                ResourceEvent(previous.LogicalId, previous.PhysicalId, previous.Type, "UPDATE_COMPLETE", null);
                return true;
            });

    /// <summary>
    /// Deletes resources, each once everything that depends on it (per the blueprint) is gone. With
    /// <paramref name="failDependedOn"/> (DeleteStack), a resource something outside depends on fails to delete, and
    /// what it depends on is left alone; false then.
    /// </summary>
    private Task<bool> DeleteAllAsync(
        string phase, IReadOnlyDictionary<string, DeployedResource> resources, StackBlueprint? blueprint, Func<string, bool> forget,
        bool failDependedOn = false) =>
        WalkAsync(
            resources.Keys.ToList(),
            id => resources.Keys.Where(other => blueprint?.ResourcesById.GetValueOrDefault(other)?.Dependencies.Contains(id) == true),
            (id, _) =>
            {
                var resource = resources[id];
                return StepAsync(phase, id, resource.Type, _simulator.ShutdownToken,
                    begin: () =>
                    {
                        ResourceEvent(id, resource.PhysicalId, resource.Type, "DELETE_IN_PROGRESS", null);
                        _simulator.ServiceDeleting(_stack, resource.PhysicalId, completed: false);
                        return true;
                    },
                    end: _ =>
                    {
                        if (failDependedOn && _stack.DependedOn.Contains(id))
                            return Failed(id, resource.PhysicalId, resource.Type, "DELETE_FAILED",
                                $"Resource handler returned message: \"resource {resource.PhysicalId} has a dependent object (Service: Ec2, Status Code: 400, " +
                                $"Request ID: {Guid.NewGuid()})\" (RequestToken: {Guid.NewGuid()}, HandlerErrorCode: InvalidRequest)", _progress.FailedToDelete);
                        if (forget(id))
                            _stack.Resources.Remove(id);
                        _simulator.ServiceDeleting(_stack, resource.PhysicalId, completed: true);
                        _simulator.MessagingDeleted(resource);
                        ResourceEvent(id, resource.PhysicalId, resource.Type, "DELETE_COMPLETE", null);
                        return true;
                    });
            },
            stopOnFailure: false);

    /// <summary>
    /// One step, resumable. <paramref name="begin"/> runs once, under the lock, with the step's first events: false when the
    /// step failed at once (its failure reported). Then the step waits out what is left of the resource type's duration
    /// (all of it, unless it was restored from disk mid-way) and <paramref name="end"/>, under the lock, finishes it, told
    /// whether the wait ran out (false: interrupted). A step already over only returns its outcome.
    /// </summary>
    private async Task<bool> StepAsync(
        string phase, string logicalId, string resourceType, CancellationToken ct, Func<bool> begin, Func<bool, bool> end)
    {
        var key = $"{phase}/{logicalId}";
        StepProgress? step;
        lock (_simulator.Gate)
        {
            step = _progress.Steps.GetValueOrDefault(key);
            if (step?.Succeeded is { } outcome)
                return outcome;
            if (step is null)
            {
                step = _progress.Steps[key] = new StepProgress(_simulator.Time.GetUtcNow());
                _simulator.Changed(_stack);
                if (!begin())
                {
                    step.Succeeded = false;
                    return false;
                }
            }
        }
        var waited = await WaitUntilAsync(step.StartedAt + ResourceCatalog.Duration(resourceType) * _simulator.Options.TimeScale, ct);
        lock (_simulator.Gate)
        {
            var succeeded = end(waited);
            step.Succeeded = succeeded;
            _simulator.Changed(_stack);
            return succeeded;
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> for every node once all its prerequisites succeeded. With
    /// <paramref name="stopOnFailure"/>, a failed step interrupts the steps in flight and nothing new starts.
    /// </summary>
    private async Task<bool> WalkAsync(
        IReadOnlyList<string> nodes, Func<string, IEnumerable<string>> prerequisites,
        Func<string, CancellationToken, Task<bool>> step, bool stopOnFailure)
    {
        var token = stopOnFailure ? _interrupt.Token : _simulator.ShutdownToken;
        var outcomes = nodes.ToDictionary(n => n, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);

        async Task RunAsync(string node)
        {
            try
            {
                var ready = await Task.WhenAll(prerequisites(node).Where(outcomes.ContainsKey).Select(p => outcomes[p].Task));
                var succeeded = ready.All(r => r) && !token.IsCancellationRequested && await step(node, token);
                if (!succeeded && stopOnFailure)
                    await _interrupt.CancelAsync();
                outcomes[node].SetResult(succeeded);
            }
            catch (Exception e)
            {
                outcomes[node].SetException(e);
            }
        }

        foreach (var node in nodes)
            _ = RunAsync(node);
        var results = await Task.WhenAll(outcomes.Values.Select(o => o.Task));
        return results.All(r => r);
    }

    /// <summary>Waits until <paramref name="until"/>; false when interrupted (cancelled by a failure or CancelUpdateStack).</summary>
    private async Task<bool> WaitUntilAsync(DateTimeOffset until, CancellationToken ct)
    {
        try
        {
            ct.ThrowIfCancellationRequested();
            var left = until - _simulator.Time.GetUtcNow();
            if (left > TimeSpan.Zero)
                await Task.Delay(left, _simulator.Time, ct);
            return true;
        }
        catch (OperationCanceledException) when (!_simulator.ShutdownToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The resource's properties as deployed, and the failure it is going to meet, if any.</summary>
    private (JsonObject Properties, string? Failure) Render(StackBlueprint blueprint, TemplateResource resource)
    {
        var resources = Snapshot();
        var evaluator = blueprint.Evaluator(resources);
        var properties = evaluator.Evaluate(resource.Properties) as JsonObject ?? [];
        return (properties, FailureInjection.Reason(resource, properties, blueprint, resources, evaluator));
    }

    /// <summary>The failure the resource meets as it completes (a resource that no longer renders fails with the reason).</summary>
    private string? Failure(StackBlueprint blueprint, TemplateResource resource)
    {
        try
        {
            return Render(blueprint, resource).Failure;
        }
        catch (CloudFormationError e)
        {
            return e.Message;
        }
    }

    private IReadOnlyList<StackOutput> Outputs(StackBlueprint blueprint)
    {
        var evaluator = blueprint.Evaluator(Snapshot());
        var outputs = new List<StackOutput>();
        foreach (var (key, node) in blueprint.Template.Outputs)
        {
            if (node is not JsonObject output || (output["Condition"]?.ToString() is { } condition && !evaluator.Condition(condition)))
                continue;
            try
            {
                outputs.Add(new StackOutput(key, evaluator.EvaluateString(output["Value"]), output["Description"]?.ToString(),
                    output["Export"]?["Name"] is { } export ? evaluator.EvaluateString(export) : null));
            }
            catch (CloudFormationError)
            {
                // An output whose value cannot be rendered as a string is left out rather than failing a healthy stack.
            }
        }
        return outputs;
    }

    /// <summary>Called under the lock, with the operation's last event.</summary>
    private void Complete(SandboxChangeSet changeSet, StackConfiguration configuration, string execution)
    {
        _stack.Configuration = configuration;
        changeSet.Execution = execution;
    }

    private string FailureSummary()
    {
        lock (_simulator.Gate)
        {
            var parts = new List<string>();
            if (_progress.FailedToCreate.Count > 0)
                parts.Add($"The following resource(s) failed to create: [{string.Join(", ", _progress.FailedToCreate)}].");
            if (_progress.FailedToUpdate.Count > 0)
                parts.Add($"The following resource(s) failed to update: [{string.Join(", ", _progress.FailedToUpdate)}].");
            return string.Join(" ", parts);
        }
    }

    private bool Failed(string logicalId, string physicalId, string type, string status, string reason, List<string> failures)
    {
        lock (_simulator.Gate)
        {
            failures.Add(logicalId);
            ResourceEvent(logicalId, physicalId, type, status, reason);
        }
        return false;
    }

    private Dictionary<string, DeployedResource> Snapshot()
    {
        lock (_simulator.Gate)
            return new Dictionary<string, DeployedResource>(_stack.Resources, StringComparer.Ordinal);
    }

    private void ResourceEvent(string logicalId, string physicalId, string type, string status, string? reason) =>
        _simulator.Emit(_stack, logicalId, physicalId, type, status, reason, _progress.ClientRequestToken);

    private void StackEvent(string status, string? reason) =>
        _simulator.Emit(_stack, _stack.Name, _stack.Id, SandboxStack.ResourceType, status, reason, _progress.ClientRequestToken);
}
