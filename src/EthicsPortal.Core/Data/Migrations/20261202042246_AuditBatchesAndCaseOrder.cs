using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditBatchesAndCaseOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "NextSeq",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Seq",
                table: "CaseMessages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Seq",
                table: "CaseEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Seq",
                table: "Attachments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Rows already there keep their order inside each case; new ones continue after all of them.
            foreach (var table in new[] { "CaseEvents", "CaseMessages", "Attachments" })
                migrationBuilder.Sql($"UPDATE \"{table}\" SET \"Seq\" = (SELECT COUNT(*) FROM \"{table}\" AS o WHERE o.\"CaseId\" = \"{table}\".\"CaseId\" AND o.\"Id\" <= \"{table}\".\"Id\");");
            migrationBuilder.Sql("UPDATE \"Cases\" SET \"NextSeq\" = 1"
                + " + (SELECT COUNT(*) FROM \"CaseEvents\" AS o WHERE o.\"CaseId\" = \"Cases\".\"Id\")"
                + " + (SELECT COUNT(*) FROM \"CaseMessages\" AS o WHERE o.\"CaseId\" = \"Cases\".\"Id\")"
                + " + (SELECT COUNT(*) FROM \"Attachments\" AS o WHERE o.\"CaseId\" = \"Cases\".\"Id\");");

            migrationBuilder.CreateTable(
                name: "PendingAuditEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hour = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingAuditEntries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_At",
                table: "Notifications",
                columns: new[] { "UserId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingAuditEntries_Hour",
                table: "PendingAuditEntries",
                column: "Hour");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingAuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_Notifications_UserId_At",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "NextSeq",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Seq",
                table: "CaseMessages");

            migrationBuilder.DropColumn(
                name: "Seq",
                table: "CaseEvents");

            migrationBuilder.DropColumn(
                name: "Seq",
                table: "Attachments");
        }
    }
}
