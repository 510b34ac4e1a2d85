using System.Text;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace EthicsPortal.Web.Components.Report;

public static class ProofEndpoints
{
    /// <summary>
    /// Hands the reporter their signed proof as a file, without script and without the server keeping it:
    /// the page posts the proof back and gets it as a download. Only a proof this server signed is echoed.
    /// </summary>
    public static void MapProofEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/report/proof", ([FromForm] string? proof, SubmissionProofs proofs) =>
        {
            var verified = proof is null ? null : proofs.Verify(proof);
            if (verified is null)
                return Results.BadRequest("This is not a proof of submission from this portal.");
            return Results.File(Encoding.UTF8.GetBytes(SubmissionProofs.ToJson(verified)), "application/json",
                $"ethicsportal-proof-{verified.Case}.json");
        });
    }
}
