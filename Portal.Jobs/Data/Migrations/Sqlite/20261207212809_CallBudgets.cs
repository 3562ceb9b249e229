using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Jobs.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallBudgets",
                columns: table => new
                {
                    Target = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Tokens = table.Column<double>(type: "REAL", nullable: false),
                    RefilledAt = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallBudgets", x => x.Target);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallBudgets");
        }
    }
}
