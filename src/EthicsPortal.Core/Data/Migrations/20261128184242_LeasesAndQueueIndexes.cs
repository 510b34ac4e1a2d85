using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeasesAndQueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leases", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AcknowledgeBy",
                table: "Cases",
                column: "AcknowledgeBy");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_FeedbackBy",
                table: "Cases",
                column: "FeedbackBy");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_AcknowledgeBy",
                table: "Cases",
                columns: new[] { "Status", "AcknowledgeBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Leases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AcknowledgeBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_FeedbackBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_AcknowledgeBy",
                table: "Cases");
        }
    }
}
