using Microsoft.EntityFrameworkCore.Migrations;

namespace Portal.Jobs.Data.Migrations;

/// <summary>
/// How the PersonKeys migration keys the names stored before people had keys, on both engines: the portal's own names
/// become its reserved keys, every other name a development-issuer key (the development sign-in's subject is the user
/// name, so a development database keeps its owners and authors). README "Sign-in and roles" says what this means for
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
}
