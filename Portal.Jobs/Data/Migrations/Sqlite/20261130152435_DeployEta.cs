using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeployEta : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<TimeSpan>(
                name: "PredictedDuration",
                table: "Revisions",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PredictedDuration",
                table: "Revisions");
        }
    }
}
