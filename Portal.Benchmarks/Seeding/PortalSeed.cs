using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Benchmarks.Running;
using Portal.Infra.Deployments;
using Portal.Infra.Guardrails;
using Portal.Jobs;
using Portal.Jobs.Data;
using Portal.Jobs.Deployments;
using Portal.Jobs.Workflow;

namespace Portal.Benchmarks.Seeding;

/// <summary>
/// A portal database with many environments and stack events, written straight into SQLite (raw SQL, prepared
/// statements, one transaction) after the portal's own migrations made the schema. Every environment has a deployed
/// Create revision (every tenth also two Updates), with its approval, audit entries, plan, template and events; the
/// events are spread evenly over the revisions. <see cref="Busiest"/> has far more revisions and events than the rest.
/// </summary>
public static class PortalSeed
{
    public const string Busiest = "env-busiest";
    public const string Typical = "env-00042";
    public const int BusiestRevisions = 20;
    public const int EventsPerBusiestRevision = 150;

    private static readonly (string Type, string Prefix)[] ResourceTypes =
    [
        ("AWS::EC2::Subnet", "VpcPublicSubnet"), ("AWS::EC2::RouteTable", "VpcPrivateSubnetRouteTable"), ("AWS::EC2::Route", "VpcPublicSubnetDefaultRoute"),
        ("AWS::EC2::SecurityGroup", "FrontendServiceSecurityGroup"), ("AWS::EC2::SecurityGroupIngress", "BackendServiceSecurityGroupFrom"),
        ("AWS::ElasticLoadBalancingV2::TargetGroup", "PublicAlbListenerFrontendGroup"), ("AWS::IAM::Role", "FrontendTaskDefExecutionRole"),
        ("AWS::IAM::Policy", "FrontendTaskDefExecutionRoleDefaultPolicy"), ("AWS::ECS::TaskDefinition", "BackendTaskDef"),
        ("AWS::Logs::LogGroup", "BackendLogGroup"), ("AWS::ECS::Service", "BackendService"), ("AWS::EC2::NatGateway", "VpcPublicSubnetNATGateway"),
    ];

    private static readonly string[] Owners = ["alice", "erin", "dana"];

    /// <summary>The name the sample is synthesized under, replaced by each environment's own.</summary>
    private const string TemplateName = "env-seed";

    /// <summary>Creates the database in <paramref name="dataDirectory"/> and fills it; returns what it wrote.</summary>
    public static async Task<string> SeedAsync(string dataDirectory, int environments, int events, CancellationToken cancellationToken)
    {
        await MigrateAsync(dataDirectory, cancellationToken);
        var template = await SynthesizeAsync(dataDirectory, cancellationToken);
        await using var connection = new SqliteConnection(DatabaseConfiguration.ConnectionString(dataDirectory));
        await connection.OpenAsync(cancellationToken);
        await Execute(connection, "PRAGMA synchronous=OFF;", cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var revisionsPerEnvironment = Enumerable.Range(1, environments)
            .Select(i => i == environments ? BusiestRevisions : i % 10 == 0 ? 3 : 1).ToList();
        var ordinaryRevisions = revisionsPerEnvironment.SkipLast(1).Sum();
        var eventsPerRevision = Math.Max(1, (events - BusiestRevisions * EventsPerBusiestRevision) / ordinaryRevisions);
        var inserts = new Inserts(connection, transaction, template);
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var revisionId = 0;
        var written = 0L;
        for (var environmentId = 1; environmentId <= environments; environmentId++)
        {
            var name = environmentId == environments ? Busiest : $"env-{environmentId:D5}";
            var revisions = revisionsPerEnvironment[environmentId - 1];
            var owner = Owners[environmentId % Owners.Length];
            var created = start.AddMinutes(environmentId);
            inserts.Environment(environmentId, name, owner, created, revisions, created.AddMinutes(revisions * 30));
            for (var number = 1; number <= revisions; number++)
            {
                revisionId++;
                var submitted = created.AddMinutes((number - 1) * 30);
                var changeSetId = $"arn:aws:cloudformation:us-east-1:123456789012:changeSet/portal-r{number}-{revisionId}-v1/{Guid.NewGuid()}";
                inserts.Revision(revisionId, environmentId, name, number, owner, submitted, changeSetId, template.Replace(TemplateName, name));
                var count = environmentId == environments ? EventsPerBusiestRevision : eventsPerRevision;
                for (var e = 0; e < count; e++)
                {
                    var (type, prefix) = ResourceTypes[e / 3 % ResourceTypes.Length];
                    var status = (number == 1 ? "CREATE" : "UPDATE") + (e % 3 == 2 ? "_COMPLETE" : "_IN_PROGRESS");
                    inserts.Event(environmentId, revisionId, $"{prefix}{e / 3}-{revisionId}-{e}", submitted.AddSeconds(5 + e),
                        $"{prefix}{e / 3:D2}A1B2C3D4", type, status, e % 3 == 1 ? "Resource creation Initiated" : null);
                    written++;
                }
            }
            if (environmentId % 1000 == 0) await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
        await transaction.CommitAsync(cancellationToken);
        await Execute(connection, "PRAGMA optimize;", cancellationToken);
        return $"{environments:N0} environments, {revisionId:N0} revisions with a {template.Length / 1024:N0} kB template each, {written:N0} stack events";
    }

    /// <summary>
    /// The template a plan stores with each revision (<c>Revisions.TemplateJson</c>, 40–50 kB, which the environment
    /// page's map reads): the sample synthesized by Portal.Infra's own <c>synth</c>, in a process of its own so no jsii
    /// runtime stays behind in the benchmark.
    /// </summary>
    private static async Task<string> SynthesizeAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dataDirectory, "seed-template")).FullName;
        try
        {
            var spec = Path.Combine(folder, "spec.json");
            await File.WriteAllTextAsync(spec, PortalApi.Spec(TemplateName), cancellationToken);
            var path = await DotnetProcess.RunAsync("Portal.Infra", ["synth", "--spec", spec, "--out", folder], folder, cancellationToken);
            return await File.ReadAllTextAsync(path.Trim(), cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The schema exactly as the portal makes it: its own migrations.</summary>
    private static async Task MigrateAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [DatabaseConfiguration.DataDirKey] = dataDirectory }).Build();
        await using var services = new ServiceCollection().AddPortalWorkflow(configuration).BuildServiceProvider();
        await services.MigratePortalDbAsync(cancellationToken);
    }

    private static async Task Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One prepared INSERT per table, its parameters set per row.</summary>
    private sealed class Inserts(SqliteConnection connection, SqliteTransaction transaction, string template)
    {
        private readonly string _planJson = new RevisionPlan
        {
            Operation = "CREATE",
            Changes = [.. Enumerable.Range(0, 50).Select(i => new PlannedChange("Add", $"{ResourceTypes[i % ResourceTypes.Length].Prefix}{i:D2}A1B2C3D4",
                ResourceTypes[i % ResourceTypes.Length].Type, null, []))],
            Guardrail = new GuardrailResult("SecurityChainCheck", true, []),
            ResourceCounts = ResourceTypes.ToDictionary(t => t.Type, _ => 4),
            TemplateBytes = System.Text.Encoding.UTF8.GetByteCount(template),
        }.ToJson();

        private readonly SqliteCommand _environment = Prepare(connection, transaction, "Environments",
            "Id", "Name", "Target", "StackName", "Status", "StatusChangedBy", "StatusChangedById", "StatusChangedAt", "CreatedBy", "CreatedById", "CreatedAt", "Outputs",
            "CurrentRevisionNumber", "DeployedRevisionNumber", "Version");

        private readonly SqliteCommand _revision = Prepare(connection, transaction, "Revisions",
            "Id", "EnvironmentId", "Number", "Kind", "SpecJson", "Status", "StatusReason", "StatusChangedBy", "StatusChangedById", "RequestedBy", "RequestedById", "Editors",
            "RequiredApprovals", "SubmittedAt", "StatusChangedAt", "DeployStartedAt", "FinishedAt", "ChangeSetId", "ChangeSetName", "PlanJson", "TemplateJson", "Version");

        private readonly SqliteCommand _approval = Prepare(connection, transaction, "Approvals",
            "RevisionId", "Approver", "ApproverId", "Decision", "Comment", "At", "ChangeSetId");

        private readonly SqliteCommand _audit = Prepare(connection, transaction, "AuditEntries",
            "At", "Who", "WhoId", "What", "EnvironmentName", "RevisionNumber", "Details");

        private readonly SqliteCommand _stackEvent = Prepare(connection, transaction, "StackEvents",
            "EnvironmentId", "RevisionId", "EventId", "Timestamp", "LogicalResourceId", "PhysicalResourceId", "ResourceType", "ResourceStatus", "ResourceStatusReason");

        public void Environment(int id, string name, string owner, DateTimeOffset created, int revisions, DateTimeOffset changed) =>
            Run(_environment, id, name, "sandbox", PortalApi.StackName(name), "Deployed", Person.Portal.Name, Key(Person.Portal.Name), Time(changed),
                owner, Key(owner), Time(created),
                $$"""{"PublicUrl":"http://{{name}}-alb-123456.us-east-1.elb.amazonaws.com","ClusterName":"{{name}}-cluster"}""",
                revisions, revisions, revisions * 4);

        public void Revision(int id, int environmentId, string name, int number, string owner, DateTimeOffset submitted, string changeSetId, string templateJson)
        {
            var deployed = submitted.AddMinutes(12);
            Run(_revision, id, environmentId, number, number == 1 ? "Create" : "Update", PortalApi.Spec(name), "Deployed",
                number == 1 ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", Person.Portal.Name, Key(Person.Portal.Name), owner, Key(owner), "[]", 1, Time(submitted), Time(deployed),
                Time(submitted.AddMinutes(5)), Time(deployed), changeSetId, $"portal-r{number}-{id}-v1", _planJson, templateJson, 6);
            Run(_approval, id, "bob", Key("bob"), "Approved", null, Time(submitted.AddMinutes(4)), changeSetId);
            foreach (var (minutes, who, what) in new[]
                     {
                         (0, owner, $"Submitted {(number == 1 ? "Create" : "Update")} revision"), (1, "portal", "Revision Submitted → Planning"),
                         (2, "portal", "Revision Planning → AwaitingApproval"), (4, "bob", "Revision AwaitingApproval → Approved"),
                         (5, "portal", "Revision Approved → Deploying"), (12, "portal", "Revision Deploying → Deployed"),
                     })
                Run(_audit, Time(submitted.AddMinutes(minutes)), who, Key(who), what, name, number, null);
        }

        public void Event(int environmentId, int revisionId, string eventId, DateTimeOffset at, string logicalId, string type, string status, string? reason) =>
            Run(_stackEvent, environmentId, revisionId, eventId, Time(at), logicalId, $"{logicalId.ToLowerInvariant()}-0a1b2c3d", type, status, reason);

        private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                                  $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
            command.Prepare();
            return command;
        }

        private static void Run(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }

        /// <summary>The key the portal stores beside a name: its jobs' own, or a development sign-in user's.</summary>
        private static string Key(string name) => (name == Person.Portal.Name ? Person.Portal.Id : PersonId.Development(name)).ToString();

        /// <summary>As the portal stores instants (UtcTimestampConverter): fixed-width UTC text.</summary>
        private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
