// "Confirm it is you" with a passkey, from an interactive staff page (revealing a reporter's identity). The portal's
// endpoints make the challenge for the signed-in member and verify the answer; this module only carries them.
// Returns 'confirmed', 'failed', 'paused', 'cancelled' or 'unsupported'; the page words each.
export async function confirmWithPasskey(token, field) {
    if (!window.PublicKeyCredential || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function')
        return 'unsupported';
    const form = () => { const body = new FormData(); body.append(field, token); return body; };
    const options = await fetch('/account/reauth/passkey/options', { method: 'POST', body: form(), credentials: 'same-origin' });
    if (!options.ok) return 'failed';
    let credential;
    try {
        credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(await options.json()) });
    } catch {
        return 'cancelled';   // cancelled, timed out or refused by the device: nothing was sent
    }
    const body = form();
    body.append('credential', JSON.stringify(credential));
    const done = await fetch('/account/reauth/passkey/confirm', { method: 'POST', body: body, credentials: 'same-origin' });
    return done.ok ? 'confirmed' : done.status === 429 ? 'paused' : 'failed';
}
