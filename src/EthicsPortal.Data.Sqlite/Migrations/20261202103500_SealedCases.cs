using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SealedCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseKeys",
                columns: table => new
                {
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    Part = table.Column<int>(type: "INTEGER", nullable: false),
                    HolderId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Sealed = table.Column<byte[]>(type: "BLOB", nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseKeys", x => new { x.CaseId, x.Part, x.HolderId });
                    table.ForeignKey(
                        name: "FK_CaseKeys_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IdentityRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<int>(type: "INTEGER", nullable: false),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ReasonCiphertext = table.Column<byte[]>(type: "BLOB", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Approved = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentityRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IdentityRequests_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MemberKeys",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PasswordWrap = table.Column<byte[]>(type: "BLOB", nullable: true),
                    OwnSecret = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfirmedBy = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberKeys", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_MemberKeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseKeys_HolderId",
                table: "CaseKeys",
                column: "HolderId");

            migrationBuilder.CreateIndex(
                name: "IX_IdentityRequests_Approved",
                table: "IdentityRequests",
                column: "Approved");

            migrationBuilder.CreateIndex(
                name: "IX_IdentityRequests_CaseId_RequesterId",
                table: "IdentityRequests",
                columns: new[] { "CaseId", "RequesterId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseKeys");

            migrationBuilder.DropTable(
                name: "IdentityRequests");

            migrationBuilder.DropTable(
                name: "MemberKeys");
        }
    }
}
