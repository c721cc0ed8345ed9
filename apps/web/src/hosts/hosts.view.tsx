import { useEffect, useState } from 'preact/hooks';
import type { HostView } from '@hostlink/protocol';
import type { Session } from '../session/session.js';
import { watchHostEvents } from './host-events.js';

interface Props {
  session: Session;
  selected: HostView | null;
  onOpen: (host: HostView) => void;
  hidden: boolean;
}

/** The user's hosts; online and offline change as the gateway pushes presence (never polled). */
export function HostsView({ session, onOpen, hidden }: Props) {
  const [hosts, setHosts] = useState<HostView[] | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () =>
      session.api.listHosts(session.token).then(
        (answer) => setHosts(answer.hosts),
        (failure: unknown) => setError(String(failure)),
      );
    return watchHostEvents(() => session.token, {
      // Loaded once the socket listens, so no change falls between the list and the first event.
      onReady: () => {
        setLive(true);
        void load();
      },
      onPresence: (hostId, online) =>
        setHosts(
          (current) => current?.map((host) => (host.id === hostId ? { ...host, online } : host)) ?? current,
        ),
      onDown: () => setLive(false),
    });
  }, [session]);
  if (hidden) return null;
  return (
    <main class="hosts">
      <h1>
        Your computers{' '}
        <span
          class={`live ${live ? 'on' : 'off'}`}
          data-testid="live"
          title={live ? 'live' : 'reconnecting'}
        />
      </h1>
      {error && <p class="error">{error}</p>}
      {hosts === null && <p>Loading…</p>}
      {hosts?.length === 0 && <p>No computers yet: enroll one with hostlink-agent.</p>}
      <ul class="host-list">
        {hosts?.map((host) => (
          <li key={host.id}>
            <button
              type="button"
              class="host"
              data-testid="host"
              data-host-id={host.id}
              disabled={!host.online}
              onClick={() => onOpen(host)}
            >
              <span class="host-name">{host.name}</span>
              <span class="host-os">{host.os}</span>
              <span class={`status ${host.online ? 'online' : 'offline'}`} data-testid="host-status">
                {host.online ? 'online' : 'offline'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
