import { useEffect, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import type { HostView } from '@hostlink/protocol';
import { AppsView } from '../apps/apps.view.js';
import { connectHost } from '../connect/connect-host.js';
import { FilesView } from '../files/files.view.js';
import { ScreenView } from '../screen/screen.view.js';
import type { Session } from '../session/session.js';
import { ByteCounter } from './byte-counter.js';
import { PasswordPrompt } from './password.prompt.js';

type Tab = 'files' | 'screen' | 'apps';

/** Host passwords the policy lets this tab keep, in memory only, until sign-out or reload. */
const savedPasswords = new Map<string, string>();

/** One host: its password asked (every time unless policy allows saving), then files, screen and apps. */
export function HostScreen({
  session,
  host,
  onClose,
}: {
  session: Session;
  host: HostView;
  onClose: () => void;
}) {
  const [connection, setConnection] = useState<HostConnection | null>(null);
  const [error, setError] = useState('');
  const [tab, setTab] = useState<Tab>('files');
  useEffect(() => () => connection?.close(), [connection]);
  const connect = async (password: string, remember: boolean) => {
    setError('');
    try {
      const opened = await connectHost(session, host.id, password);
      if (remember && opened.policy.saveHostPassword) savedPasswords.set(host.id, password);
      opened.onClose(() => setConnection((current) => (current === opened ? null : current)));
      setConnection(opened);
    } catch (failure) {
      savedPasswords.delete(host.id);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  if (!connection)
    return (
      <PasswordPrompt
        host={host}
        error={error}
        saved={savedPasswords.get(host.id)}
        onSubmit={connect}
        onCancel={onClose}
      />
    );
  return (
    <main class="host-screen">
      <nav class="tabs" role="tablist" aria-label={host.name}>
        <button type="button" class="back" onClick={onClose} aria-label="Back to computers">
          ‹
        </button>
        <span class="host-title" data-testid="host-title">
          {connection.hostName}
        </span>
        {(['files', 'screen', 'apps'] as const).map((name) => (
          <button
            type="button"
            role="tab"
            key={name}
            aria-selected={tab === name}
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {name[0]!.toUpperCase() + name.slice(1)}
          </button>
        ))}
      </nav>
      {tab === 'files' && <FilesView connection={connection} hostId={host.id} />}
      {tab === 'screen' && <ScreenView connection={connection} />}
      {tab === 'apps' && (
        <AppsView connection={connection} hostId={host.id} onLaunched={() => setTab('screen')} />
      )}
      <footer class="status-bar">
        <span>end-to-end encrypted via {connection.route}</span>
        <ByteCounter connection={connection} />
      </footer>
    </main>
  );
}
