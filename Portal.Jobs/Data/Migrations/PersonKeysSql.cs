using Microsoft.EntityFrameworkCore.Migrations;

namespace Portal.Jobs.Data.Migrations;

/// <summary>
/// How the PersonKeys migration keys the names stored before people had keys, on both engines: the portal's own names
/// become its reserved keys, every other name a development-issuer key (the development sign-in's subject is the user
/// name, so a development database keeps its owners and authors). docs/OPERATIONS.md "Sign-in and roles" says what this means for
/// a portal that signs in with OpenID Connect. Literal here, not read from the code, so the migration never changes.
/// </summary>
internal static class PersonKeysSql
{
    /// <summary>Every column that stored a person's name; its key goes beside it, in the column named <c>&lt;column&gt;Id</c>.</summary>
    private static readonly (string Table, string Column)[] People =
    [
        ("Environments", "CreatedBy"), ("Environments", "StatusChangedBy"), ("Revisions", "RequestedBy"), ("Revisions", "StatusChangedBy"),
        ("Approvals", "Approver"), ("AuditEntries", "Who"), ("Notifications", "RequestedBy"), ("DriftChecks", "RequestedBy"),
    ];

    /// <summary>The key of the stored name <paramref name="name"/> (an SQL expression), as an SQL expression.</summary>
    public static string KeyOf(string name) =>
        $"CASE {name} WHEN 'portal' THEN 'urn:portal#portal' WHEN 'system:expiry' THEN 'urn:portal#expiry' " +
        $"WHEN 'policy:expiry' THEN 'urn:portal#expiry-policy' ELSE 'urn:portal:development#' || {name} END";

    public static void FillKeys(MigrationBuilder migrationBuilder)
    {
        foreach (var (table, column) in People)
        {
            migrationBuilder.Sql($"UPDATE \"{table}\" SET \"{column}Id\" = {KeyOf($"\"{column}\"")};");
        }
    }

    /// <summary>
    /// Withdraws the revisions still waiting for a decision (Submitted, Planning, PlanFailed, AwaitingApproval), audited
    /// as the portal: their authors were recorded by name, which under OpenID Connect is no one's key, so their
    /// requester could approve them. Approved and deploying revisions go on. <paramref name="now"/> is the engine's
    /// current instant in the form the portal stores.
    /// </summary>
    public static void WithdrawUndecidedRevisions(MigrationBuilder migrationBuilder, string now)
    {
        const string undecided = "r.\"Status\" IN ('Submitted', 'Planning', 'PlanFailed', 'AwaitingApproval')";
        migrationBuilder.Sql(
            "INSERT INTO \"AuditEntries\" (\"At\", \"Who\", \"WhoId\", \"What\", \"EnvironmentName\", \"RevisionNumber\", \"Details\") " +
            $"SELECT {now}, 'portal', 'urn:portal#portal', 'Revision ' || r.\"Status\" || ' → Cancelled', e.\"Name\", r.\"Number\", '{WithdrawnReason}' " +
            $"FROM \"Revisions\" r JOIN \"Environments\" e ON e.\"Id\" = r.\"EnvironmentId\" WHERE {undecided} ORDER BY r.\"Id\";");
        migrationBuilder.Sql(
            $"UPDATE \"Revisions\" SET \"Status\" = 'Cancelled', \"StatusReason\" = '{WithdrawnReason}', \"StatusChangedBy\" = 'portal', " +
            $"\"StatusChangedById\" = 'urn:portal#portal', \"StatusChangedAt\" = {now}, \"FinishedAt\" = {now}, \"Version\" = \"Version\" + 1 " +
            $"WHERE \"Id\" IN (SELECT r.\"Id\" FROM \"Revisions\" r WHERE {undecided});");
    }

    public const string WithdrawnReason =
        "withdrawn when people got keys: it was requested while they were known by name only; submit it again";
}
