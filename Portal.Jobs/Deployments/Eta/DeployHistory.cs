namespace Portal.Jobs.Deployments.Eta;

/// <summary>
/// How long each resource step took in a target's earlier successful deploys: the median of the samples, so one
/// deploy that waited on a slow NAT gateway does not drag every later prediction with it.
/// </summary>
public sealed class DeployHistory
{
    public static readonly DeployHistory Empty = new(new Dictionary<ResourceStep, TimeSpan>(), 0);

    private DeployHistory(IReadOnlyDictionary<ResourceStep, TimeSpan> medians, int deploys)
    {
        Medians = medians;
        Deploys = deploys;
    }

    /// <summary>Median duration per step seen at least once.</summary>
    public IReadOnlyDictionary<ResourceStep, TimeSpan> Medians { get; }

    /// <summary>How many deploys the medians come from.</summary>
    public int Deploys { get; }

    public TimeSpan? Median(ResourceStep step) => Medians.TryGetValue(step, out var median) ? median : null;

    /// <summary>The medians over <paramref name="deploys"/>, each one deploy's stack events.</summary>
    public static DeployHistory From(IReadOnlyCollection<IEnumerable<EtaEvent>> deploys)
    {
        var samples = deploys.SelectMany(Durations).GroupBy(d => d.Step);
        return new DeployHistory(samples.ToDictionary(g => g.Key, g => Median([.. g.Select(d => d.Duration)])), deploys.Count);
    }

    /// <summary>
    /// One deploy's resource durations: per resource and operation, from its first <c>X_IN_PROGRESS</c> to its
    /// <c>X_COMPLETE</c> (a replacement's second UPDATE_IN_PROGRESS belongs to the same update).
    /// </summary>
    public static IEnumerable<(ResourceStep Step, TimeSpan Duration)> Durations(IEnumerable<EtaEvent> events)
    {
        var started = new Dictionary<(string LogicalId, ResourceOperation Operation), DateTimeOffset>();
        foreach (var e in events.OrderBy(e => e.Timestamp))
        {
            if (ResourceStep.Parse(e.ResourceType, e.ResourceStatus) is not { } parsed) continue;
            var (step, finished) = parsed;
            var key = (e.LogicalResourceId, step.Operation);
            if (!finished)
                started.TryAdd(key, e.Timestamp);
            else if (started.Remove(key, out var start))
                yield return (step, e.Timestamp - start);
        }
    }

    private static TimeSpan Median(List<TimeSpan> samples)
    {
        samples.Sort();
        var middle = samples.Count / 2;
        return samples.Count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
    }
}
