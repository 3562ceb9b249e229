namespace Portal.Jobs.Deployments.Eta;

/// <summary>Where a prediction's durations came from: all from this target's history, none, or some.</summary>
public enum EtaBasis
{
    History,
    Mixed,
    Default,
}

/// <summary>A deploy's predicted remaining time; <see cref="DefaultedTypes"/> are the types it had no history for.</summary>
public sealed record EtaPrediction(TimeSpan Remaining, EtaBasis Basis, IReadOnlyList<string> DefaultedTypes)
{
    /// <summary>Some durations are <see cref="EtaDefaults"/>, not what this portal saw on the target.</summary>
    public bool IsRough => Basis != EtaBasis.History;
}

/// <summary>
/// Predicts how long the rest of a deploy takes. CloudFormation starts a resource as soon as everything it depends on
/// is done (a delete once everything depending on it is gone), so the remaining time is the critical path through the
/// plan's dependency graph: a resource not started finishes its duration after the last of its prerequisites, one in
/// progress finishes its duration after it started (not before now), one done costs nothing. Resources the change set
/// leaves alone pass the wait on without adding to it. An update's removals, and the old copies of replaced
/// resources, are deleted in the cleanup after every other change, so the slowest of them is added at the end.
/// Without dependencies (plans stored before they were) every change counts as running at once: the slowest remaining
/// one is the estimate. Durations are the target's history medians (<see cref="DeployHistory"/>), else
/// <see cref="EtaDefaults"/>. Nothing is predicted once a resource failed: the rollback is another story.
/// </summary>
public static class DeployEta
{
    private enum Phase { Main, Cleanup }

    private sealed record Work(string LogicalId, ResourceStep Step, Phase Phase);

    private sealed record Progress(DateTimeOffset? Started, bool Done);

    /// <summary>The remaining time at <paramref name="now"/> given the deploy's events so far; null when nothing is predictable.</summary>
    public static EtaPrediction? Predict(RevisionPlan plan, DeployHistory history, IEnumerable<EtaEvent> events, DateTimeOffset now)
    {
        if (plan.NoChanges || plan.Changes.Count == 0) return null;
        var ordered = events.OrderBy(e => e.Timestamp).ToList();
        if (ordered.Any(e => e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal) || e.ResourceStatus.Contains("ROLLBACK", StringComparison.Ordinal)))
            return null;

        var work = Plan(plan);
        var progress = ProgressOf(ordered);
        var defaulted = new SortedSet<string>(StringComparer.Ordinal);
        var fromHistory = 0;

        TimeSpan Remaining(Work w)
        {
            var state = progress.GetValueOrDefault((w.LogicalId, w.Step.Operation));
            if (state?.Done == true) return TimeSpan.Zero;
            TimeSpan duration;
            if (history.Median(w.Step) is { } median)
            {
                duration = median;
                fromHistory++;
            }
            else
            {
                duration = EtaDefaults.Duration(w.Step);
                defaulted.Add(w.Step.ResourceType);
            }
            return state?.Started is { } started ? Max(TimeSpan.Zero, duration - (now - started)) : duration;
        }

        var main = work.Where(w => w.Phase == Phase.Main).ToDictionary(w => w.LogicalId, StringComparer.Ordinal);
        var prerequisites = Prerequisites(plan);
        var finish = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

        // Depth-first with memo: when each resource is done, counted from now. The template has no cycles (CloudFormation
        // refuses them); the visiting set only keeps a damaged plan from recursing forever.
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        TimeSpan FinishOf(string id)
        {
            if (finish.TryGetValue(id, out var known)) return known;
            if (!visiting.Add(id)) return TimeSpan.Zero;
            var planned = main.GetValueOrDefault(id);
            var own = planned is null ? TimeSpan.Zero : Remaining(planned);
            // Started: its prerequisites are done, whatever the durations say of them.
            var started = planned is not null && progress.GetValueOrDefault((id, planned.Step.Operation))?.Started is not null;
            var done = started ? own : prerequisites(id).Select(FinishOf).DefaultIfEmpty(TimeSpan.Zero).Max() + own;
            visiting.Remove(id);
            return finish[id] = done;
        }

        var mainRemaining = main.Keys.Select(FinishOf).DefaultIfEmpty(TimeSpan.Zero).Max();
        var cleanupRemaining = work.Where(w => w.Phase == Phase.Cleanup).Select(Remaining).DefaultIfEmpty(TimeSpan.Zero).Max();
        var basis = defaulted.Count == 0 ? EtaBasis.History : fromHistory == 0 ? EtaBasis.Default : EtaBasis.Mixed;
        return new EtaPrediction(mainRemaining + cleanupRemaining, basis, [.. defaulted]);
    }

    /// <summary>What CloudFormation does per change, and in which phase.</summary>
    private static List<Work> Plan(RevisionPlan plan)
    {
        var deleting = plan.Operation == "DELETE";
        var work = new List<Work>();
        foreach (var change in plan.Changes.DistinctBy(c => c.LogicalResourceId))
        {
            var id = change.LogicalResourceId;
            if (deleting)
            {
                work.Add(new Work(id, new ResourceStep(change.ResourceType, ResourceOperation.Delete), Phase.Main));
                continue;
            }
            switch (change.Action)
            {
                case "Add":
                    work.Add(new Work(id, new ResourceStep(change.ResourceType, ResourceOperation.Create), Phase.Main));
                    break;
                case "Remove":
                    work.Add(new Work(id, new ResourceStep(change.ResourceType, ResourceOperation.Delete), Phase.Cleanup));
                    break;
                default:
                    work.Add(new Work(id, new ResourceStep(change.ResourceType, ResourceOperation.Update), Phase.Main));
                    if (change.Replacement == "True")
                        work.Add(new Work(id, new ResourceStep(change.ResourceType, ResourceOperation.Delete), Phase.Cleanup));
                    break;
            }
        }
        return work;
    }

    /// <summary>What each resource waits for: its dependencies, or for a delete the resources that depend on it.</summary>
    private static Func<string, IEnumerable<string>> Prerequisites(RevisionPlan plan)
    {
        if (plan.Operation != "DELETE")
            return id => plan.Dependencies.GetValueOrDefault(id) ?? [];
        var dependents = plan.Dependencies
            .SelectMany(d => d.Value.Select(dependency => (Dependency: dependency, Dependent: d.Key)))
            .ToLookup(p => p.Dependency, p => p.Dependent, StringComparer.Ordinal);
        return id => dependents[id];
    }

    /// <summary>Per resource and operation: when its first X_IN_PROGRESS came, and whether its X_COMPLETE did.</summary>
    private static Dictionary<(string LogicalId, ResourceOperation Operation), Progress> ProgressOf(IEnumerable<EtaEvent> events)
    {
        var progress = new Dictionary<(string, ResourceOperation), Progress>();
        foreach (var e in events)
        {
            if (ResourceStep.Parse(e.ResourceType, e.ResourceStatus) is not { } parsed) continue;
            var key = (e.LogicalResourceId, parsed.Step.Operation);
            var known = progress.GetValueOrDefault(key) ?? new Progress(null, false);
            progress[key] = parsed.Finished ? known with { Done = true } : known with { Started = known.Started ?? e.Timestamp };
        }
        return progress;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
