using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InsightsIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_ReceivedMonth_Channel",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ReceivedMonth_MisuseTypeKey",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ReceivedMonth_ProductKey",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ReceivedMonth_QueueId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_CaseActions_CaseId",
                table: "CaseActions");

            migrationBuilder.AddColumn<int>(
                name: "ReceivedMonth",
                table: "RetaliationCheckIns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Existing check-ins take their case's month of receipt (portable SQL: SQLite and PostgreSQL).
            migrationBuilder.Sql("""
                UPDATE "RetaliationCheckIns" SET "ReceivedMonth" =
                    (SELECT "ReceivedMonth" FROM "Cases" WHERE "Cases"."Id" = "RetaliationCheckIns"."CaseId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_RetaliationCheckIns_ReceivedMonth_TreatedWorse_CaseId",
                table: "RetaliationCheckIns",
                columns: new[] { "ReceivedMonth", "TreatedWorse", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Dimensions",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "MisuseTypeKey", "ProductKey", "QueueId", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Insights",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "Status", "Outcome", "AcknowledgedInTime", "FeedbackInTime", "SecondsToAcknowledge", "SecondsToClose", "AcknowledgeBy", "FirstFeedbackAt", "FeedbackBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SecondsToAcknowledge_ReceivedMonth",
                table: "Cases",
                columns: new[] { "SecondsToAcknowledge", "ReceivedMonth" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SecondsToClose_ReceivedMonth_Status",
                table: "Cases",
                columns: new[] { "SecondsToClose", "ReceivedMonth", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseActions_CaseId_Kind",
                table: "CaseActions",
                columns: new[] { "CaseId", "Kind" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RetaliationCheckIns_ReceivedMonth_TreatedWorse_CaseId",
                table: "RetaliationCheckIns");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Dimensions",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Insights",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SecondsToAcknowledge_ReceivedMonth",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SecondsToClose_ReceivedMonth_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_CaseActions_CaseId_Kind",
                table: "CaseActions");

            migrationBuilder.DropColumn(
                name: "ReceivedMonth",
                table: "RetaliationCheckIns");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ReceivedMonth_Channel",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ReceivedMonth_MisuseTypeKey",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "MisuseTypeKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ReceivedMonth_ProductKey",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "ProductKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ReceivedMonth_QueueId",
                table: "Cases",
                columns: new[] { "ReceivedMonth", "QueueId" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseActions_CaseId",
                table: "CaseActions",
                column: "CaseId");
        }
    }
}
