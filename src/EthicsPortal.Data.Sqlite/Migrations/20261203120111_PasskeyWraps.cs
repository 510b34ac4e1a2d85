using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PasskeyWraps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PasskeyWraps",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CredentialId = table.Column<byte[]>(type: "BLOB", maxLength: 1024, nullable: false),
                    Wrapped = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasskeyWraps", x => new { x.UserId, x.CredentialId });
                    table.ForeignKey(
                        name: "FK_PasskeyWraps_MemberKeys_UserId",
                        column: x => x.UserId,
                        principalTable: "MemberKeys",
                        principalColumn: "UserId",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PasskeyWraps");
        }
    }
}
