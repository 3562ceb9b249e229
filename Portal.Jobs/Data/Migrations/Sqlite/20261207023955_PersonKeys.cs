using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Jobs.Data.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PersonKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "EditedBy",
                table: "Revisions",
                newName: "Editors");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "Revisions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "StatusChangedById",
                table: "Revisions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "Notifications",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CreatedById",
                table: "Environments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "StatusChangedById",
                table: "Environments",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "RequestedById",
                table: "DriftChecks",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WhoId",
                table: "AuditEntries",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ApproverId",
                table: "Approvals",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            PersonKeysSql.FillKeys(migrationBuilder);
            PersonKeysSql.WithdrawUndecidedRevisions(migrationBuilder, "strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.0000000Z'");
            // A revision's editors: a JSON array of names becomes one of people, in the same order.
            migrationBuilder.Sql(
                "UPDATE \"Revisions\" SET \"Editors\" = (SELECT json_group_array(json_object('id', " + PersonKeysSql.KeyOf("value") +
                ", 'name', value)) FROM json_each(\"Revisions\".\"Editors\"));");
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

            migrationBuilder.RenameColumn(
                name: "Editors",
                table: "Revisions",
                newName: "EditedBy");

            migrationBuilder.Sql(
                "UPDATE \"Revisions\" SET \"EditedBy\" = (SELECT json_group_array(json_extract(value, '$.name')) FROM json_each(\"Revisions\".\"EditedBy\"));");
        }
    }
}
