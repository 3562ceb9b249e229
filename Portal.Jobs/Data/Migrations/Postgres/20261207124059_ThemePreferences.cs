using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ThemePreferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ThemePreferences",
                columns: table => new
                {
                    Person = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Theme = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThemePreferences", x => x.Person);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ThemePreferences");
        }
    }
}
