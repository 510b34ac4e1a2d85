using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class StandingActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReceivedMonth",
                table: "CaseActions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Standing",
                table: "CaseActions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Existing actions take their concern's month, and stand when the concern stands closed.
            migrationBuilder.Sql("""
                UPDATE "CaseActions" SET
                    "ReceivedMonth" = (SELECT "ReceivedMonth" FROM "Cases" WHERE "Cases"."Id" = "CaseActions"."CaseId"),
                    "Standing" = (SELECT "Status" = 'Closed' FROM "Cases" WHERE "Cases"."Id" = "CaseActions"."CaseId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_CaseActions_Standing_ReceivedMonth_Kind_CaseId",
                table: "CaseActions",
                columns: new[] { "Standing", "ReceivedMonth", "Kind", "CaseId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseActions_Standing_ReceivedMonth_Kind_CaseId",
                table: "CaseActions");

            migrationBuilder.DropColumn(
                name: "ReceivedMonth",
                table: "CaseActions");

            migrationBuilder.DropColumn(
                name: "Standing",
                table: "CaseActions");
        }
    }
}
