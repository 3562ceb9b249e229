using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SubmissionCleanup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StackCleanups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EnvironmentId = table.Column<int>(type: "integer", nullable: false),
                    RevisionId = table.Column<int>(type: "integer", nullable: false),
                    RevisionNumber = table.Column<int>(type: "integer", nullable: false),
                    Target = table.Column<string>(type: "text", nullable: false),
                    StackName = table.Column<string>(type: "text", nullable: false),
                    ChangeSetName = table.Column<string>(type: "text", nullable: false),
                    ChangeSetId = table.Column<string>(type: "text", nullable: true),
                    DeleteReviewStack = table.Column<bool>(type: "boolean", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeletingStackId = table.Column<string>(type: "text", nullable: true),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    DoneAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StackCleanups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StackCleanups_Revisions_RevisionId",
                        column: x => x.RevisionId,
                        principalTable: "Revisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StackCleanups_DoneAt",
                table: "StackCleanups",
                column: "DoneAt");

            migrationBuilder.CreateIndex(
                name: "IX_StackCleanups_EnvironmentId",
                table: "StackCleanups",
                column: "EnvironmentId");

            migrationBuilder.CreateIndex(
                name: "IX_StackCleanups_RevisionId",
                table: "StackCleanups",
                column: "RevisionId");

            // The submission limit counts a person's recent revisions. The requester's key lives in a complex property,
            // which EF Core cannot index, so the index is made here.
            migrationBuilder.Sql("CREATE INDEX \"IX_Revisions_RequestedById_SubmittedAt\" ON \"Revisions\" (\"RequestedById\", \"SubmittedAt\")");

            // An environment's expiry now ends with its destroy: clear it on those destroyed before, so that creating one
            // again does not meet an expiry of the stack it no longer has.
            migrationBuilder.Sql("UPDATE \"Environments\" SET \"ExpiresAt\" = NULL, \"ExpiredAt\" = NULL WHERE \"Status\" = 'Destroyed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Revisions_RequestedById_SubmittedAt\"");

            migrationBuilder.DropTable(
                name: "StackCleanups");
        }
    }
}
