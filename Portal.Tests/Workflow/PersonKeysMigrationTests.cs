using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Jobs.Data;
using Portal.Jobs.Expiry;
using Portal.Jobs.Revisions;
using Portal.Jobs.Workflow;
using Portal.Tests.Faults;
using Portal.Tests.Hosting;
using Portal.Tests.Postgres;

namespace Portal.Tests.Workflow;

/// <summary>
/// The PersonKeys migration on a database written while people were stored by name, on the engine the tests run on
/// (SQLite, or PostgreSQL in the second pass): every name gets the key README "Sign-in and roles" promises.
/// </summary>
public sealed class PersonKeysMigrationTests : IAsyncLifetime
{
    private const string At = "2026-11-30T12:00:00.0000000Z";

    private readonly string folder = Path.Combine(TestEnvironment.TempRoot, "portal-tests", Guid.NewGuid().ToString("n"));
    private Dictionary<string, string> settings = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        settings = new Dictionary<string, string>(await TestDatabase.SettingsAsync()) { [PortalDatabase.DataDirKey] = folder };
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(folder);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task NamesStoredBeforePeopleHadKeysBecomeDevelopmentAndReservedKeys()
    {
        await using (var db = PortalData.Open(settings))
        {
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_PersonKeys")) - 1]);
            var editors = PortalData.IsPostgres(settings) ? "ARRAY['dana', 'bob']" : "'[\"dana\",\"bob\"]'";
            // The schema as it was: a name in every person's column, and the editors an array of names ({0}: a spec, {1}: outputs).
            var rows = $"""
                INSERT INTO "Environments" ("Id", "Name", "Target", "StackName", "Status", "StatusChangedBy", "StatusChangedAt", "CreatedBy",
                                            "CreatedAt", "Outputs", "CurrentRevisionNumber", "DeployedRevisionNumber", "Version")
                VALUES (1, 'orders-dev', 'sandbox', 'portal-orders-dev', 'Deployed', 'portal', '{At}', 'alice', '{At}', {"{1}"}, 2, 1, 5);
                INSERT INTO "Revisions" ("Id", "EnvironmentId", "Number", "Kind", "SpecJson", "Status", "StatusChangedBy", "RequestedBy", "EditedBy",
                                         "RequiredApprovals", "SubmittedAt", "StatusChangedAt", "Version")
                VALUES (1, 1, 1, 'Create', {"{0}"}, 'Deployed', 'portal', 'alice', {(PortalData.IsPostgres(settings) ? "ARRAY[]::text[]" : "'[]'")}, 1, '{At}', '{At}', 4),
                       (2, 1, 2, 'Destroy', {"{0}"}, 'Approved', 'policy:expiry', 'system:expiry', {editors}, 1, '{At}', '{At}', 3);
                INSERT INTO "Approvals" ("RevisionId", "Approver", "Decision", "At") VALUES (1, 'bob', 'Approved', '{At}');
                INSERT INTO "AuditEntries" ("At", "Who", "What", "EnvironmentName") VALUES ('{At}', 'system:expiry', 'Expired', 'orders-dev');
                INSERT INTO "Notifications" ("At", "Event", "EnvironmentName", "Target", "RevisionNumber", "RevisionKind", "RequestedBy")
                VALUES ('{At}', 'Expired', 'orders-dev', 'sandbox', 2, 'Destroy', 'system:expiry');
                INSERT INTO "DriftChecks" ("EnvironmentId", "RequestedBy", "StartedAt", "Status", "ResourcesJson")
                VALUES (1, 'carol', '{At}', 'InSync', '[]');
                """;
            await db.Database.ExecuteSqlRawAsync(rows, SpecJson.Serialize(WorkflowTest.Spec("orders-dev")), "{}");
        }

        await using (var db = PortalData.Open(settings))
        {
            await db.Database.MigrateAsync();

            var environment = await db.Environments.SingleAsync();
            var revisions = await db.Revisions.OrderBy(r => r.Number).ToListAsync();
            Assert.Equal((Developer("alice"), Person.Portal), (environment.CreatedBy, environment.StatusChangedBy));
            Assert.Equal((Developer("alice"), Person.Portal), (revisions[0].RequestedBy, revisions[0].StatusChangedBy));
            Assert.Equal((ExpiryRules.Requester, ExpiryRules.Policy), (revisions[1].RequestedBy, revisions[1].StatusChangedBy));
            Assert.Equal([Developer("dana"), Developer("bob")], revisions[1].EditedBy);
            Assert.Empty(revisions[0].EditedBy);
            Assert.Equal(Developer("bob"), (await db.Approvals.SingleAsync()).Approver);
            Assert.Equal(ExpiryRules.Requester, (await db.AuditEntries.SingleAsync()).Who);
            Assert.Equal(ExpiryRules.Requester, (await db.Notifications.SingleAsync()).RequestedBy);
            Assert.Equal(Developer("carol"), (await db.DriftChecks.SingleAsync()).RequestedBy);
            // The development sign-in's alice is still the owner.
            environment.EnsureMayBeChangedBy(WorkflowTest.Alice);
        }
    }

    private static Person Developer(string name) => new(PersonId.Development(name), name);
}
