using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Jobs.Data.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Editors",
                table: "Revisions",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "Revisions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "StatusChangedById",
                table: "Revisions",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "Notifications",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CreatedById",
                table: "Environments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "StatusChangedById",
                table: "Environments",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "DriftChecks",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WhoId",
                table: "AuditEntries",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ApproverId",
                table: "Approvals",
                type: "text",
                nullable: false,
                defaultValue: "");

            PersonKeysSql.FillKeys(migrationBuilder);
            PersonKeysSql.WithdrawUndecidedRevisions(migrationBuilder, "now()");
            // A revision's editors: an array of names becomes a JSON array of people, in the same order.
            migrationBuilder.Sql(
                "UPDATE \"Revisions\" SET \"Editors\" = COALESCE((SELECT json_agg(json_build_object('id', " + PersonKeysSql.KeyOf("e.name") +
                ", 'name', e.name) ORDER BY e.position)::text FROM unnest(\"Revisions\".\"EditedBy\") WITH ORDINALITY AS e(name, position)), '[]');");

            migrationBuilder.DropColumn(
                name: "EditedBy",
                table: "Revisions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequestedById",
                table: "Revisions");

            migrationBuilder.DropColumn(
                name: "StatusChangedById",
                table: "Revisions");

            migrationBuilder.DropColumn(
                name: "RequestedById",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "CreatedById",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "StatusChangedById",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "RequestedById",
                table: "DriftChecks");

            migrationBuilder.DropColumn(
                name: "WhoId",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "ApproverId",
                table: "Approvals");

            migrationBuilder.AddColumn<string[]>(
                name: "EditedBy",
                table: "Revisions",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.Sql(
                "UPDATE \"Revisions\" SET \"EditedBy\" = ARRAY(SELECT e.person->>'name' FROM json_array_elements(\"Revisions\".\"Editors\"::json) " +
                "WITH ORDINALITY AS e(person, position) ORDER BY e.position);");

            migrationBuilder.DropColumn(
                name: "Editors",
                table: "Revisions");
        }
    }
}
