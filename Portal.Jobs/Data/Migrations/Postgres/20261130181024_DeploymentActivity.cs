using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeploymentActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RetryingReason",
                table: "Revisions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetryingSince",
                table: "Revisions",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RetryingReason",
                table: "Revisions");

            migrationBuilder.DropColumn(
                name: "RetryingSince",
                table: "Revisions");
        }
    }
}
