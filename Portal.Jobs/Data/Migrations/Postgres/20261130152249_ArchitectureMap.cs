using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ArchitectureMap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TemplateJson",
                table: "Revisions",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TemplateJson",
                table: "Revisions");
        }
    }
}
