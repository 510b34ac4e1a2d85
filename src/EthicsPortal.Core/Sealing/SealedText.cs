namespace EthicsPortal.Core.Sealing;

/// <summary>What members read about sealed content, in one place.</summary>
public static class SealedText
{
    public const string Waiting = "This case is sealed and no copy of its key is sealed to you yet. A member who holds it grants it to you by opening the case; the chair can grant it from Access.";
    public const string Locked = "Your key is locked in this session (the portal restarted, you were away, or you signed in in a way that does not unlock it: single sign-on, or a passkey that cannot). Unlock it to read this case.";
    public const string IdentityCustodiansOnly = "This reporter's identity is sealed to the identity custodians (the chair) only. Ask the chair if you need it.";

    public static string For(ContentAccess access) => access == ContentAccess.Locked ? Locked : Waiting;
}
