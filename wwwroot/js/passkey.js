// Passkeys (WebAuthn) for staff sign-in and enrolment. Loaded only on the staff sign-in and security pages;
// reporter pages never load script. Without WebAuthn support the passkey parts stay hidden.
(function () {
    'use strict';

    function supported() {
        return window.PublicKeyCredential
            && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function'
            && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';
    }

    async function run(form) {
        const error = form.querySelector('[data-passkey-error]');
        error.hidden = true;
        const body = new FormData();
        body.append('__RequestVerificationToken', form.querySelector('input[name=__RequestVerificationToken]').value);
        const response = await fetch(form.dataset.optionsUrl, { method: 'POST', body: body, credentials: 'same-origin' });
        if (!response.ok) throw new Error('options ' + response.status);
        const options = await response.json();
        const credential = form.dataset.passkey === 'create'
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector('input[name=credential]').value = JSON.stringify(credential);
        form.submit();
    }

    document.addEventListener('DOMContentLoaded', function () {
        document.querySelectorAll('form[data-passkey]').forEach(function (form) {
            if (!supported()) return;
            form.closest('[data-passkey-section]').hidden = false;
            form.querySelector('[data-passkey-start]').addEventListener('click', function () {
                run(form).catch(function () {
                    // Cancelled, timed out or refused by the device: nothing was sent, the person can simply try again.
                    form.querySelector('[data-passkey-error]').hidden = false;
                });
            });
        });
    });
})();
