using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Jobs.Data;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Faults;
using Portal.Tests.Postgres;

namespace Portal.Tests.Workflow;

/// <summary>
/// The PersonKeys migration on a database written while people were stored by name, on the engine the tests run on
/// (SQLite, or PostgreSQL in the second pass): every name gets the key docs/OPERATIONS.md "Sign-in and roles" promises, and what
/// waited for a decision is withdrawn.
/// </summary>
[Trait(Lanes.Category, Lanes.Unit)]
[Trait(Lanes.Database, Lanes.Stored)]
public sealed class PersonKeysMigrationTests : IAsyncLifetime
{
    private const string At = "2026-11-30T12:00:00.0000000Z";

    private readonly string _folder = TempFolder.New();
    private Dictionary<string, string> _settings = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync(empty: true)) { [DatabaseConfiguration.DataDirKey] = _folder };
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheUpgradeKeysEveryStoredNameAndWithdrawsWhatAwaitedADecision()
    {
        await using (var db = PortalData.Open(_settings))
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_PersonKeys")) - 1]);
            var (editors, noEditors) = PortalData.IsPostgres(_settings) ? ("ARRAY['dana', 'bob']", "ARRAY[]::text[]") : ("'[\"dana\",\"bob\"]'", "'[]'");
            // The schema as it was: a name in every person's column, and the editors an array of names ({0}: a spec, {1}: outputs).
            var rows = $"""
                INSERT INTO "Environments" ("Id", "Name", "Target", "StackName", "Status", "StatusChangedBy", "StatusChangedAt", "CreatedBy",
                                            "CreatedAt", "Outputs", "CurrentRevisionNumber", "DeployedRevisionNumber", "Version")
                VALUES (1, 'orders-dev', 'sandbox', 'portal-orders-dev', 'Deployed', 'portal', '{At}', 'alice', '{At}', {"{1}"}, 2, 1, 5),
                       (2, 'billing-dev', 'sandbox', 'portal-billing-dev', 'Requested', 'erin', '{At}', 'erin', '{At}', {"{1}"}, 1, NULL, 1);
                INSERT INTO "Revisions" ("Id", "EnvironmentId", "Number", "Kind", "SpecJson", "Status", "StatusChangedBy", "RequestedBy", "EditedBy",
                                         "RequiredApprovals", "SubmittedAt", "StatusChangedAt", "Version")
                VALUES (1, 1, 1, 'Create', {"{0}"}, 'Deployed', 'portal', 'alice', {noEditors}, 1, '{At}', '{At}', 4),
                       (2, 1, 2, 'Destroy', {"{0}"}, 'Approved', 'policy:expiry', 'system:expiry', {editors}, 1, '{At}', '{At}', 3),
                       (3, 2, 1, 'Create', {"{0}"}, 'AwaitingApproval', 'portal', 'erin', {noEditors}, 1, '{At}', '{At}', 2);
                INSERT INTO "Approvals" ("RevisionId", "Approver", "Decision", "At") VALUES (1, 'bob', 'Approved', '{At}');
                INSERT INTO "AuditEntries" ("At", "Who", "What", "EnvironmentName") VALUES ('{At}', 'system:expiry', 'Expired', 'orders-dev');
                INSERT INTO "Notifications" ("At", "Event", "EnvironmentName", "Target", "RevisionNumber", "RevisionKind", "RequestedBy")
                VALUES ('{At}', 'Expired', 'orders-dev', 'sandbox', 2, 'Destroy', 'system:expiry');
                INSERT INTO "DriftChecks" ("EnvironmentId", "RequestedBy", "StartedAt", "Status", "ResourcesJson")
                VALUES (1, 'carol', '{At}', 'InSync', '[]');
                """;
            await db.Database.ExecuteSqlRawAsync(rows, SpecJson.Serialize(WorkflowTest.Spec("orders-dev")), "{}");
        }

        await using (var db = PortalData.Open(_settings))
        {
            await db.Database.MigrateAsync();

            var environment = await db.Environments.SingleAsync(e => e.Id == 1);
            var revisions = await db.Revisions.Where(r => r.EnvironmentId == 1).OrderBy(r => r.Number).ToListAsync();
            Assert.Equal((Developer("alice"), Person.Portal), (environment.CreatedBy, environment.StatusChangedBy));
            Assert.Equal((Developer("alice"), Person.Portal), (revisions[0].RequestedBy, revisions[0].StatusChangedBy));
            Assert.Equal((ExpiryRules.Requester, ExpiryRules.Policy), (revisions[1].RequestedBy, revisions[1].StatusChangedBy));
            Assert.Equal([Developer("dana"), Developer("bob")], revisions[1].EditedBy);
            Assert.Empty(revisions[0].EditedBy);
            Assert.Equal(Developer("bob"), (await db.Approvals.SingleAsync()).Approver);
            Assert.Equal(ExpiryRules.Requester, (await db.AuditEntries.OrderBy(a => a.Id).FirstAsync()).Who);
            Assert.Equal(ExpiryRules.Requester, (await db.Notifications.SingleAsync()).RequestedBy);
            Assert.Equal(Developer("carol"), (await db.DriftChecks.SingleAsync()).RequestedBy);
            // The development sign-in's alice is still the owner.
            environment.EnsureMayBeChangedBy(WorkflowTest.Alice);
            // What waited for a decision is withdrawn (its requester was known by name only); the approved destroy goes on.
            Assert.Equal(RevisionStatus.Approved, revisions[1].Status);
            var undecided = await db.Revisions.SingleAsync(r => r.Id == 3);
            Assert.Equal((RevisionStatus.Cancelled, Person.Portal), (undecided.Status, undecided.StatusChangedBy));
            Assert.Contains("known by name only; submit it again", undecided.StatusReason);
            Assert.NotNull(undecided.FinishedAt);
            var withdrawn = await db.AuditEntries.OrderBy(a => a.Id).LastAsync();
            Assert.Equal((Person.Portal, "Revision AwaitingApproval → Cancelled", "billing-dev", (int?)1),
                (withdrawn.Who, withdrawn.What, withdrawn.EnvironmentName, withdrawn.RevisionNumber));
        }
    }

    private static Person Developer(string name) => new(PersonId.Development(name), name);
}
