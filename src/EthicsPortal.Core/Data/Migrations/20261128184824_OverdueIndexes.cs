using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OverdueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AcknowledgedAt_AcknowledgeBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_FirstFeedbackAt_FeedbackBy",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AcknowledgedAt_Status_AcknowledgeBy",
                table: "Cases",
                columns: new[] { "AcknowledgedAt", "Status", "AcknowledgeBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_FirstFeedbackAt_Status_FeedbackBy",
                table: "Cases",
                columns: new[] { "FirstFeedbackAt", "Status", "FeedbackBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AcknowledgedAt_Status_AcknowledgeBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_FirstFeedbackAt_Status_FeedbackBy",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AcknowledgedAt_AcknowledgeBy",
                table: "Cases",
                columns: new[] { "AcknowledgedAt", "AcknowledgeBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_FirstFeedbackAt_FeedbackBy",
                table: "Cases",
                columns: new[] { "FirstFeedbackAt", "FeedbackBy" });
        }
    }
}
