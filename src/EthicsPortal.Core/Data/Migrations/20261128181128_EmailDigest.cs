using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EthicsPortal.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class EmailDigest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Notifications_EmailedAt_ReadAt_UserId",
                table: "Notifications",
                columns: new[] { "EmailedAt", "ReadAt", "UserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_EmailedAt_ReadAt_UserId",
                table: "Notifications");
        }
    }
}
