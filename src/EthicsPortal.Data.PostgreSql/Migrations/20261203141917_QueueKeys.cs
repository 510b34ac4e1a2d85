using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Data.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class QueueKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QueueKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    QueueId = table.Column<int>(type: "integer", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    Retired = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QueueKeys_Queues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "Queues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QueueKeyCopies",
                columns: table => new
                {
                    QueueKeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Sealed = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QueueKeyCopies", x => new { x.QueueKeyId, x.UserId });
                    table.ForeignKey(
                        name: "FK_QueueKeyCopies_MemberKeys_UserId",
                        column: x => x.UserId,
                        principalTable: "MemberKeys",
                        principalColumn: "UserId",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QueueKeyCopies_QueueKeys_QueueKeyId",
                        column: x => x.QueueKeyId,
                        principalTable: "QueueKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QueueKeyCopies_UserId",
                table: "QueueKeyCopies",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_QueueKeys_QueueId_Retired",
                table: "QueueKeys",
                columns: new[] { "QueueId", "Retired" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QueueKeyCopies");

            migrationBuilder.DropTable(
                name: "QueueKeys");
        }
    }
}
