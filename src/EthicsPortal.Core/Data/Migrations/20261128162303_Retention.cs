using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RetentionDays",
                table: "Queues",
                type: "INTEGER",
                nullable: false,
                defaultValue: 365);

            migrationBuilder.AddColumn<long>(
                name: "ErasedAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LegalHold",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "RetentionWarnedAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_ErasedAt_ClosedAt",
                table: "Cases",
                columns: new[] { "Status", "ErasedAt", "ClosedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_ErasedAt_ClosedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "RetentionDays",
                table: "Queues");

            migrationBuilder.DropColumn(
                name: "ErasedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LegalHold",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "RetentionWarnedAt",
                table: "Cases");
        }
    }
}
