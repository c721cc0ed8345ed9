import { useState } from 'preact/hooks';
import type { HostView } from '@hostlink/protocol';
import { HostScreen } from './host/host.view.js';
import { HostsView } from './hosts/hosts.view.js';
import type { Session } from './session/session.js';
import { SignInView } from './session/sign-in.view.js';

/** Sign-in, then the host list, then one host (files, screen, apps). State lives here, not in the URL. */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [host, setHost] = useState<HostView | null>(null);
  if (!session) return <SignInView onSignedIn={setSession} />;
  const signOut = () => {
    void session.signOut();
    setHost(null);
    setSession(null);
  };
  return (
    <div class="shell">
      <header class="topbar">
        <button type="button" class="brand" onClick={() => setHost(null)}>
          Hostlink
        </button>
        <span class="who" data-testid="signed-in-as">
          {session.email}
        </span>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <HostsView session={session} selected={host} onOpen={setHost} hidden={host !== null} />
      {host && <HostScreen session={session} host={host} onClose={() => setHost(null)} />}
    </div>
  );
}
