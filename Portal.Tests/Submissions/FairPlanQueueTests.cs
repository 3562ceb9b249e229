using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infra.Synthesis;
using Portal.Jobs.Deployments;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Submissions;
using Portal.Jobs.Workflow;
using Portal.Tests.Jobs;
using Portal.Tests.Workflow;

namespace Portal.Tests.Submissions;

/// <summary>
/// One person's burst does not hold up another's plan: plan jobs run on a real Hangfire server (more workers than
/// plans), and synthesis, which runs one at a time, is where the plans queue.
/// </summary>
[Trait(Lanes.Category, Lanes.Api)]
public sealed class FairPlanQueueTests : IAsyncLifetime
{
    private const int Limit = 6, PlansPerUser = 2;

    private readonly TurnTakingSynthesizer _synthesizer = new(new TemplateSynthesizer());
    private JobsFixture _jobs = null!;
    private BackgroundJobServer _server = null!;

    public async Task InitializeAsync()
    {
        _jobs = await JobsFixture.StartAsync(
            services => services.AddSingleton<ITemplateSynthesizer>(_synthesizer),
            _ => new Dictionary<string, string?>
            {
                ["Submissions:PerUser"] = Limit.ToString(),
                ["Submissions:PlansPerUser"] = PlansPerUser.ToString(),
            });
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions { Activator = _jobs.Services.GetRequiredService<JobActivator>(), WorkerCount = 12 },
            _jobs.Services.GetRequiredService<JobStorage>());
    }

    public async Task DisposeAsync()
    {
        _synthesizer.Open();
        _server.SendStop();
        _server.Dispose();
        await _jobs.DisposeAsync();
    }

    [Fact]
    public async Task ABurstUpToTheLimitDoesNotHoldUpAnotherPersonsPlan()
    {
        var erin = WorkflowTest.Erin;
        var burst = new List<RevisionView>();
        for (var i = 1; i <= Limit; i++)
            burst.Add(await SubmitAsync($"alice-{i}", WorkflowTest.Alice));
        await Assert.ThrowsAsync<SubmissionLimitException>(() => SubmitAsync("alice-7", WorkflowTest.Alice));
        // Alice's first plans wait for synthesis; the rest of her burst waits its turn.
        await Poll.UntilAsync(() => Task.FromResult(_synthesizer.Waiting.Count >= PlansPerUser), "alice's first plans to wait for synthesis");

        var single = await SubmitAsync("erin-1", erin);
        await Poll.UntilAsync(() => Task.FromResult(_synthesizer.Waiting.Contains("erin-1")), "erin's plan to wait for synthesis");
        _synthesizer.Open();

        await Poll.UntilAsync(async () => (await StatusesAsync([.. burst, single])).All(s => s == RevisionStatus.AwaitingApproval),
            "every plan to finish");
        // Synthesized in turn: erin's after at most Alice's plans already running, long before Alice's burst drained.
        Assert.Equal(Limit + 1, _synthesizer.Order.Count);
        Assert.InRange(_synthesizer.Order.IndexOf("erin-1"), 0, PlansPerUser);
    }

    private Task<RevisionView> SubmitAsync(string name, Actor by) =>
        _jobs.Get<EnvironmentCommands>().SubmitAsync(new SubmitEnvironment(JobsFixture.Spec(name)), by, default);

    private async Task<List<RevisionStatus>> StatusesAsync(IEnumerable<RevisionView> revisions)
    {
        var statuses = new List<RevisionStatus>();
        foreach (var revision in revisions)
            statuses.Add((await _jobs.RevisionAsync(revision.Id)).Status);
        return statuses;
    }

    /// <summary>
    /// The real synthesizer behind a gate that is closed until <see cref="Open"/>, then passes one synth at a time in the
    /// order they arrived (as the jsii gate does), recording that order.
    /// </summary>
    private sealed class TurnTakingSynthesizer(ITemplateSynthesizer inner) : ITemplateSynthesizer
    {
        private readonly SemaphoreSlim _gate = new(0, 1);
        private readonly ConcurrentDictionary<string, bool> _waiting = new();
        private readonly List<string> _order = [];
        private int _opened;

        public IReadOnlyCollection<string> Waiting => [.. _waiting.Keys];

        public List<string> Order
        {
            get
            {
                lock (_order) return [.. _order];
            }
        }

        public void Open()
        {
            if (Interlocked.Exchange(ref _opened, 1) == 0)
                _gate.Release();
        }

        public async Task<IReadOnlyList<SynthResult>> SynthesizeAsync(IReadOnlyList<SynthRequest> requests, CancellationToken cancellationToken = default)
        {
            // A plan's turn synthesizes its template first, then the inert twin the literal-text guardrail compares it with.
            var name = requests[0].Spec.Name;
            _waiting[name] = true;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                _waiting.TryRemove(name, out _);
                lock (_order) _order.Add(name);
                return await inner.SynthesizeAsync(requests, cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
