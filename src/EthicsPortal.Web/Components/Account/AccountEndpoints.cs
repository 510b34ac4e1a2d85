using System.Security.Claims;
using EthicsPortal.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EthicsPortal.Web.Components.Account;

public static class AccountEndpoints
{
    /// <summary>A WebAuthn credential as JSON is a few KB; anything far larger is not one.</summary>
    private const int MaxCredentialJson = 64 * 1024;

    /// <summary>Sign-out and every passkey step are POSTs with an antiforgery token, so no link or image can trigger them.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (ClaimsPrincipal user, StaffSignInService signIn, [FromForm] string? returnUrl, CancellationToken ct) =>
        {
            var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            await signIn.SignOutAsync(userId, ct);
            return TypedResults.LocalRedirect(Login.SafeReturnUrl(returnUrl) ?? "/");
        });

        // Single sign-on: a POST with antiforgery starts it (no page can sign someone in unasked), the provider comes back to /done.
        endpoints.MapPost("/account/sso", (IOptions<SingleSignOnOptions> sso, [FromForm] string? returnUrl) =>
            sso.Value.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/account/sso/done?returnUrl=" + Uri.EscapeDataString(Login.SafeReturnUrl(returnUrl) ?? "") },
                    [SingleSignOnOptions.Scheme])
                : Results.NotFound());
        endpoints.MapGet("/account/sso/done", async (HttpContext http, IOptions<SingleSignOnOptions> sso, SingleSignOnService service, string? returnUrl, CancellationToken ct) =>
        {
            if (!sso.Value.Enabled)
                return Results.NotFound();
            var outcome = await service.CompleteAsync(http, ct);
            return outcome.SignedIn
                ? Results.LocalRedirect(Login.SafeReturnUrl(returnUrl) ?? outcome.Landing)
                : Results.LocalRedirect("/account/login?sso=" + Uri.EscapeDataString(outcome.Problem ?? ""));
        });

        var passkey = endpoints.MapGroup("/account/passkey");
        // The challenge is kept in Identity's short-lived two-factor cookie of this browser, so it cannot be replayed elsewhere.
        passkey.MapPost("/request-options", async (HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn)
            => await antiforgery.IsRequestValidAsync(http)
                ? Results.Content(PasskeyPrf.AskFor(await signIn.MakePasskeyRequestOptionsAsync(null)), "application/json")
                : Results.BadRequest());

        passkey.MapPost("/signin", async (StaffSignInService signIn, [FromForm] string? credential, [FromForm] string? returnUrl, CancellationToken ct) =>
        {
            if (credential is not { Length: > 0 and <= MaxCredentialJson })
                return TypedResults.LocalRedirect("/account/login?passkey=failed");
            var (outcome, landing) = await signIn.PasskeySignInAsync(credential, ct);
            return outcome switch
            {
                SignInOutcome.SignedIn => TypedResults.LocalRedirect(Login.SafeReturnUrl(returnUrl) ?? landing),
                SignInOutcome.LockedOut => TypedResults.LocalRedirect("/account/login?passkey=locked"),
                _ => TypedResults.LocalRedirect("/account/login?passkey=failed"),
            };
        });

        // "Confirm it is you" with a passkey from a staff page (revealing an identity): the options name only this
        // member's passkeys, and a verified assertion leaves one short-lived confirmation for the member's circuit.
        var reauth = endpoints.MapGroup("/account/reauth/passkey").RequireAuthorization();
        reauth.MapPost("/options", async (HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.BadRequest();
            var user = await signIn.UserManager.GetUserAsync(http.User);
            return user is null ? Results.StatusCode(StatusCodes.Status403Forbidden)
                : Results.Content(PasskeyPrf.AskFor(await signIn.MakePasskeyRequestOptionsAsync(user)), "application/json");
        });
        reauth.MapPost("/confirm", async (HttpContext http, SignInManager<StaffUser> signIn, Reauthentication reauthentication,
            EthicsPortal.Core.Sealing.MemberKeys memberKeys, [FromForm] string? credential, CancellationToken ct) =>
        {
            if (credential is not { Length: > 0 and <= MaxCredentialJson })
                return Results.BadRequest();
            var userId = signIn.UserManager.GetUserId(http.User);
            if (userId is null)
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            // A verified passkey with a PRF output also unlocks the member's key (the case page's "Unlock with a passkey").
            return await reauthentication.VerifyPasskeyAsync(userId, signIn, credential, ct,
                    credentialId => memberKeys.UnlockWithPasskeyAsync(userId, credentialId, PasskeyPrf.Output(credential), ct)) switch
            {
                ReauthenticationResult.Confirmed => Results.NoContent(),
                ReauthenticationResult.TooManyTries => Results.StatusCode(StatusCodes.Status429TooManyRequests),
                _ => Results.StatusCode(StatusCodes.Status403Forbidden),
            };
        });   // a form field: the antiforgery token is checked before this runs

        passkey.MapPost("/creation-options", async (HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, StaffPasskeyService passkeys) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.BadRequest();
            var user = await users.GetUserAsync(http.User);
            if (user is null || !await passkeys.MayManageAsync(user, http.User))
                return Results.StatusCode(StatusCodes.Status403Forbidden);   // a script's fetch, not a page: no redirect
            return Results.Content(await passkeys.CreationOptionsAsync(user), "application/json");
        }).RequireAuthorization();

        passkey.MapPost("/add", async (ClaimsPrincipal principal, UserManager<StaffUser> users, StaffPasskeyService passkeys,
            [FromForm] string? credential, [FromForm] string? name, CancellationToken ct) =>
        {
            var user = await users.GetUserAsync(principal);
            if (user is null)
                return TypedResults.LocalRedirect("/account/login");
            var result = credential is { Length: > 0 and <= MaxCredentialJson }
                ? await passkeys.AddAsync(user, principal, credential, name, ct)
                : PasskeyAddResult.Missing;
            return TypedResults.LocalRedirect($"/account/mfa?passkey={result}");
        }).RequireAuthorization();

        passkey.MapPost("/remove", async (ClaimsPrincipal principal, UserManager<StaffUser> users, StaffPasskeyService passkeys,
            [FromForm] string? id, CancellationToken ct) =>
        {
            var user = await users.GetUserAsync(principal);
            var removed = user is not null && id is { Length: > 0 and <= 2048 } && await passkeys.RemoveAsync(user, principal, id, ct);
            return TypedResults.LocalRedirect(removed ? "/account/mfa?passkey=Removed" : "/account/mfa?passkey=NotRemoved");
        }).RequireAuthorization();
    }
}
