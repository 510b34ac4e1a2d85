using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EthicsPortal.Data.PostgreSql.Migrations
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
                    CaseId = table.Column<int>(type: "integer", nullable: false),
                    Part = table.Column<int>(type: "integer", nullable: false),
                    HolderId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Sealed = table.Column<byte[]>(type: "bytea", nullable: false),
                    GrantedBy = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    GrantedAt = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<int>(type: "integer", nullable: false),
                    RequesterId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ReasonCiphertext = table.Column<byte[]>(type: "bytea", nullable: false),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    Approved = table.Column<bool>(type: "boolean", nullable: true)
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
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    PasswordWrap = table.Column<byte[]>(type: "bytea", nullable: true),
                    OwnSecret = table.Column<bool>(type: "boolean", nullable: false),
                    ConfirmedAt = table.Column<long>(type: "bigint", nullable: true),
                    ConfirmedBy = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
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
