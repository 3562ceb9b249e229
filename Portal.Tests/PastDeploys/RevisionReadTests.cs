using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Jobs.Environments;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Workflow;

namespace Portal.Tests.PastDeploys;

/// <summary>
/// The environment page reloads every two seconds and the API answers the same reads: they read each revision without
/// its stored template (40–50 kB), which only the architecture map of the one revision shown reads.
/// </summary>
[Trait(Lanes.Database, Lanes.Stored)]
[Trait(Lanes.Category, Lanes.Unit)]
public sealed class RevisionReadTests : WorkflowTest
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Template = """{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}""";

    [Fact]
    public async Task TheEnvironmentAndItsRevisionsAreReadWithoutTheirTemplates()
    {
        var create = await PlannedAsync(await SubmitAsync("orders-dev"));
        await ApproveAsync(create, Bob);
        await DeployAsync(create.Id);
        var update = await PlannedAsync(await Environments.UpdateAsync(new SubmitUpdate("orders-dev", Spec("orders-dev", tag: "2.0.0")), Alice, None));

        using var reads = SqlCapture.Start();
        var detail = await Queries.GetAsync("orders-dev", None);
        var revision = await Queries.GetRevisionAsync("orders-dev", 1, None);
        var deployed = await Queries.GetDeployedRevisionAsync("orders-dev", None);
        var commands = reads.Commands;

        Assert.NotEmpty(commands);
        Assert.DoesNotContain(commands, sql => sql.Contains("TemplateJson", StringComparison.OrdinalIgnoreCase));
        // Everything else is still there: numbers newest first, statuses, approvals and their count, the spec.
        Assert.Equal([2, 1], detail.Revisions.Select(r => r.Number));
        Assert.Equal([RevisionStatus.AwaitingApproval, RevisionStatus.Deployed], detail.Revisions.Select(r => r.Status));
        Assert.Equal(2, detail.Environment.CurrentRevisionNumber);
        Assert.Equal(RevisionStatus.AwaitingApproval, detail.Environment.CurrentRevisionStatus);
        Assert.Equal(1, detail.DeployedRevision?.Number);
        Assert.Equal(1, revision.ApprovalsCounted);
        Assert.Equal("bob", Assert.Single(revision.Approvals).Approver);
        Assert.Equal("orders-dev", revision.EnvironmentName);
        Assert.Equal("2.0.0", detail.Revisions[0].Spec.Frontend.Image.Tag);
        Assert.Equal(update.Id, detail.Revisions[0].Id);
        Assert.Equal((1, 1), (deployed?.Number, deployed?.ApprovalsCounted));
        Assert.Equal(Template, await Queries.TemplateJsonAsync(create.Id, None));
    }

    /// <summary>Planned as the plan job does, storing a template.</summary>
    private Task<RevisionView> PlannedAsync(RevisionView revision) => AsJobAsync(revision.Id, r =>
    {
        r.TransitionTo(RevisionStatus.Planning, Person.Portal, "plan");
        r.RecordPlan($"cs-{revision.Id}", $"portal-cs-{revision.Id}", "{}", Template);
        r.TransitionTo(RevisionStatus.AwaitingApproval, Person.Portal, "planned");
    });

    /// <summary>
    /// The SQL EF Core runs on this test's flow (an AsyncLocal, so tests running at the same time are not counted),
    /// heard on its DiagnosticListener.
    /// </summary>
    private sealed class SqlCapture : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private static readonly AsyncLocal<List<string>?> Current = new();
        private readonly List<IDisposable> _subscriptions = [];
        private readonly List<string> _commands = [];

        public IReadOnlyList<string> Commands
        {
            get
            {
                lock (_commands) return [.. _commands];
            }
        }

        public static SqlCapture Start()
        {
            var capture = new SqlCapture();
            Current.Value = capture._commands;
            capture._subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(capture));
            return capture;
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && Current.Value is { } list)
                lock (list) list.Add(data.Command.CommandText);
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            Current.Value = null;
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
