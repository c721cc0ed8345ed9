import { useState } from 'preact/hooks';
import { ApiClient } from '@hostlink/client-sdk';
import { Session } from './session.js';
import { formText } from '../ui/form-text.js';

/** Password sign-in. The SSO branch adds its button in the marked place. */
export function SignInView({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      const api = new ApiClient(location.origin);
      const email = formText(form, 'email');
      onSignedIn(await Session.signIn(api, email, formText(form, 'password')));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={(event) => void submit(event)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Hostlink</h1>
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {/* SSO: the SAML branch adds a "Sign in with your organisation" link to /saml/<account>/login here. */}
      </form>
    </main>
  );
}
