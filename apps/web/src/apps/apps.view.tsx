import { useEffect, useMemo, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import type { AppEntry } from '@hostlink/protocol';
import { AppTray, iconImage } from './app-tray.js';

interface Props {
  connection: HostConnection;
  hostId: string;
  onLaunched: () => void;
}

/** The host's apps: a tray of the ones the user keeps, launched onto the host's desktop. */
export function AppsView({ connection, hostId, onLaunched }: Props) {
  const tray = useMemo(() => new AppTray(localStorage), []);
  const [apps, setApps] = useState<AppEntry[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [, rerender] = useState(0);
  const [message, setMessage] = useState('');
  useEffect(() => {
    connection.desktop.apps().then(setApps, (failure: unknown) => setMessage(String(failure)));
  }, [connection]);
  const launch = async (app: AppEntry, path: string) => {
    try {
      await connection.desktop.launch(app.id, path.trim() || undefined);
      onLaunched();
    } catch (failure) {
      setMessage(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const shown = editing ? (apps ?? []) : tray.visible(hostId, apps ?? []);
  return (
    <section class="apps">
      <div class="toolbar">
        <button type="button" class="secondary" onClick={() => setEditing(!editing)} data-testid="edit-tray">
          {editing ? 'Done' : 'Choose apps'}
        </button>
      </div>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      {apps?.length === 0 && <p>This host offers no apps (hostlink-agent app add).</p>}
      <ul class="app-tray" data-testid="app-tray">
        {shown.map((app) => (
          <AppTile
            key={app.id}
            app={app}
            editing={editing}
            shown={tray.isShown(hostId, app.id)}
            onToggle={() => {
              tray.toggle(hostId, app.id);
              rerender((n) => n + 1);
            }}
            onLaunch={(path) => void launch(app, path)}
          />
        ))}
      </ul>
    </section>
  );
}

interface TileProps {
  app: AppEntry;
  editing: boolean;
  shown: boolean;
  onToggle: () => void;
  onLaunch: (path: string) => void;
}

/** An app's name and icon come from the agent: the name is text, the icon only a data: image or text. */
function AppTile({ app, editing, shown, onToggle, onLaunch }: TileProps) {
  const [path, setPath] = useState('');
  const image = iconImage(app.icon);
  return (
    <li class="app-tile" data-testid="app" data-app-id={app.id}>
      <span class="app-icon" aria-hidden="true">
        {image ? <img src={image} alt="" /> : (app.icon ?? '▢').slice(0, 4)}
      </span>
      <span class="app-name">{app.name}</span>
      {editing ? (
        <label class="check">
          <input type="checkbox" checked={shown} onChange={onToggle} /> In tray
        </label>
      ) : (
        <>
          <input
            class="app-file"
            placeholder="Open a host file (optional)"
            value={path}
            onInput={(event) => setPath(event.currentTarget.value)}
            aria-label={`File to open with ${app.name}`}
          />
          <button type="button" onClick={() => onLaunch(path)} data-testid="launch">
            Open
          </button>
        </>
      )}
    </li>
  );
}
