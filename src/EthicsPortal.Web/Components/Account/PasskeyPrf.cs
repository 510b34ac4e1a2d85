using System.Text.Json;
using System.Text.Json.Nodes;
using EthicsPortal.Core.Sealing;
using Microsoft.AspNetCore.WebUtilities;

namespace EthicsPortal.Web.Components.Account;

/// <summary>
/// The WebAuthn PRF extension on the portal's passkey ceremonies (#16): every request asks the authenticator to evaluate
/// <see cref="Seal.PasskeyPrfInput"/>, and the browser returns the 32-byte result beside the signed assertion. That
/// result unwraps the member's private key; an authenticator without PRF simply returns none.
/// </summary>
public static class PasskeyPrf
{
    private static readonly string Input = WebEncoders.Base64UrlEncode(Seal.PasskeyPrfInput);

    /// <summary>Identity's creation or request options as JSON, with "extensions.prf.eval.first" added.</summary>
    public static string AskFor(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!.AsObject();
        var extensions = options["extensions"] as JsonObject ?? [];
        extensions["prf"] = new JsonObject { ["eval"] = new JsonObject { ["first"] = Input } };
        options["extensions"] = extensions;
        return options.ToJsonString();
    }

    /// <summary>The PRF result in a credential's JSON ("clientExtensionResults.prf.results.first"); null when there is none.</summary>
    public static byte[]? Output(string credentialJson)
    {
        try
        {
            using var document = JsonDocument.Parse(credentialJson);
            if (document.RootElement.TryGetProperty("clientExtensionResults", out var results)
                && results.ValueKind == JsonValueKind.Object
                && results.TryGetProperty("prf", out var prf) && prf.ValueKind == JsonValueKind.Object
                && prf.TryGetProperty("results", out var values) && values.ValueKind == JsonValueKind.Object
                && values.TryGetProperty("first", out var first) && first.ValueKind == JsonValueKind.String)
            {
                var bytes = WebEncoders.Base64UrlDecode(first.GetString()!);
                return bytes.Length == Seal.PrfOutputSize ? bytes : null;
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
        }
        return null;
    }
}
