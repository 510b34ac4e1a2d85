using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Workspace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AcknowledgeBy",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "AcknowledgedInTime",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssigneeUserId",
                table: "Cases",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ClosedMonth",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CustomerId",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FeedbackBy",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "FeedbackInTime",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FeedbackMonths",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "FirstFeedbackAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IdentityRevealedAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "Cases",
                type: "TEXT",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "PatternFlagged",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Priority",
                table: "Cases",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<byte[]>(
                name: "RationaleCiphertext",
                table: "Cases",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReceivedMonth",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "SecondsToAcknowledge",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SecondsToClose",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "CaseEvents",
                type: "TEXT",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "CaseActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    Products = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseActions_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseLinks",
                columns: table => new
                {
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    LinkedCaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseLinks", x => new { x.CaseId, x.LinkedCaseId });
                    table.ForeignKey(
                        name: "FK_CaseLinks_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CaseLinks_Cases_LinkedCaseId",
                        column: x => x.LinkedCaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseNotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    BodyCiphertext = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseNotes_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Customers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeadlineAlerts",
                columns: table => new
                {
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Percent = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeadlineAlerts", x => new { x.CaseId, x.Period, x.Percent });
                    table.ForeignKey(
                        name: "FK_DeadlineAlerts_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EmailedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QueueMembers",
                columns: table => new
                {
                    QueueId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueMembers", x => new { x.QueueId, x.UserId });
                    table.ForeignKey(
                        name: "FK_QueueMembers_Queues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "Queues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RoutingRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    MisuseTypeKey = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ProductKey = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Ongoing = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    QueueId = table.Column<int>(type: "INTEGER", nullable: false),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoutingRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RoutingRules_Queues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "Queues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AccountTeamMembers",
                columns: table => new
                {
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountTeamMembers", x => new { x.CustomerId, x.UserId });
                    table.ForeignKey(
                        name: "FK_AccountTeamMembers_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CustomerAliases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Alias = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerAliases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomerAliases_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AcknowledgedAt_AcknowledgeBy",
                table: "Cases",
                columns: new[] { "AcknowledgedAt", "AcknowledgeBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUserId_Status",
                table: "Cases",
                columns: new[] { "AssigneeUserId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ClosedMonth",
                table: "Cases",
                column: "ClosedMonth");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CustomerId_ReceivedAt",
                table: "Cases",
                columns: new[] { "CustomerId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_FirstFeedbackAt_FeedbackBy",
                table: "Cases",
                columns: new[] { "FirstFeedbackAt", "FeedbackBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MisuseTypeKey_ReceivedAt",
                table: "Cases",
                columns: new[] { "MisuseTypeKey", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ProductKey_ReceivedAt",
                table: "Cases",
                columns: new[] { "ProductKey", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ReceivedAt",
                table: "Cases",
                column: "ReceivedAt");

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
                name: "IX_Cases_Status_ReceivedAt",
                table: "Cases",
                columns: new[] { "Status", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountTeamMembers_UserId",
                table: "AccountTeamMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseActions_CaseId",
                table: "CaseActions",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseActions_Kind",
                table: "CaseActions",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_CaseLinks_LinkedCaseId",
                table: "CaseLinks",
                column: "LinkedCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseNotes_CaseId",
                table: "CaseNotes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerAliases_Alias",
                table: "CustomerAliases",
                column: "Alias");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerAliases_CustomerId",
                table: "CustomerAliases",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Name",
                table: "Customers",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_ReadAt_At",
                table: "Notifications",
                columns: new[] { "UserId", "ReadAt", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_QueueMembers_UserId",
                table: "QueueMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_RoutingRules_QueueId",
                table: "RoutingRules",
                column: "QueueId");

            migrationBuilder.AddForeignKey(
                name: "FK_Cases_Customers_CustomerId",
                table: "Cases",
                column: "CustomerId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Cases_Customers_CustomerId",
                table: "Cases");

            migrationBuilder.DropTable(
                name: "AccountTeamMembers");

            migrationBuilder.DropTable(
                name: "CaseActions");

            migrationBuilder.DropTable(
                name: "CaseLinks");

            migrationBuilder.DropTable(
                name: "CaseNotes");

            migrationBuilder.DropTable(
                name: "CustomerAliases");

            migrationBuilder.DropTable(
                name: "DeadlineAlerts");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "QueueMembers");

            migrationBuilder.DropTable(
                name: "RoutingRules");

            migrationBuilder.DropTable(
                name: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AcknowledgedAt_AcknowledgeBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUserId_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ClosedMonth",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_CustomerId_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_FirstFeedbackAt_FeedbackBy",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MisuseTypeKey_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ProductKey_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ReceivedAt",
                table: "Cases");

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
                name: "IX_Cases_Status_ReceivedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AcknowledgeBy",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AcknowledgedInTime",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AssigneeUserId",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ClosedMonth",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "CustomerId",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FeedbackBy",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FeedbackInTime",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FeedbackMonths",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "FirstFeedbackAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "IdentityRevealedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "PatternFlagged",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Priority",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "RationaleCiphertext",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ReceivedMonth",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SecondsToAcknowledge",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SecondsToClose",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "CaseEvents");
        }
    }
}
