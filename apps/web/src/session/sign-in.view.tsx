import { useEffect, useState } from 'preact/hooks';
import { ApiClient } from '@hostlink/client-sdk';
import { Session } from './session.js';
import { ACCOUNT_KEY, finishSso, startSso } from './sso.js';
import { formText } from '../ui/form-text.js';

/** Password sign-in, or single sign-on through the account's identity provider. */
export function SignInView({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const api = new ApiClient(location.origin);
  const run = async (work: () => Promise<Session | null>) => {
    setBusy(true);
    setError('');
    try {
      const session = await work();
      if (session) onSignedIn(session);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  // Back from the IdP: the fragment holds a one-time code.
  useEffect(() => {
    void run(async () => {
      const tokens = await finishSso(api);
      return tokens ? Session.fromTokens(api, tokens) : null;
    });
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(() => Session.signIn(api, formText(form, 'email'), formText(form, 'password')));
  };
  const submitSso = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void run(async () => {
      await startSso(api, formText(form, 'account'));
      return null;
    });
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title">
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
      </form>
      <form class="card" onSubmit={submitSso} aria-labelledby="sso-title">
        <h2 id="sso-title">Sign in with your organisation</h2>
        <label>
          Account id
          <input
            name="account"
            autocomplete="organization"
            defaultValue={localStorage.getItem(ACCOUNT_KEY) ?? ''}
            required
          />
        </label>
        <button type="submit" class="secondary" disabled={busy}>
          Continue to your identity provider
        </button>
      </form>
    </main>
  );
}
