import { useRef, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import { download, upload } from './transfers.js';

export interface Transfer {
  readonly id: number;
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  readonly cancel?: () => void;
}

let nextId = 1;

/** Downloads and uploads in flight, with progress, and the upload picker for the current folder. */
export function useTransfers(connection: HostConnection, onUploaded: () => void) {
  const [items, setItems] = useState<Transfer[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const update = (id: number, change: Partial<Transfer>) =>
    setItems((current) => current.map((item) => (item.id === id ? { ...item, ...change } : item)));
  const track = async (
    label: string,
    run: (progress: (done: number, total: number) => void) => Promise<unknown>,
    controller?: AbortController,
  ) => {
    const id = nextId++;
    const cancel = controller && (() => controller.abort());
    setItems((current) => [...current, { id, label, done: 0, total: 0, state: 'running', cancel }]);
    try {
      await run((done, total) => update(id, { done, total }));
      update(id, { state: 'done' });
      return true;
    } catch {
      update(id, { state: controller?.signal.aborted ? 'cancelled' : 'failed' });
      return false;
    }
  };
  const startUpload = (folder: string, file: File) => {
    const controller = new AbortController();
    void track(
      `↑ ${file.name}`,
      (progress) => upload(connection, folder, file, progress, controller.signal),
      controller,
    ).then((ok) => ok && onUploaded());
  };
  return {
    items,
    download: (path: string, name: string) =>
      void track(`↓ ${name}`, (progress) => download(connection, path, name, progress)),
    uploadButton: (folder: string) => (
      <label class="button secondary">
        Upload
        <input
          ref={input}
          type="file"
          class="visually-hidden"
          data-testid="upload"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) startUpload(folder, file);
            event.currentTarget.value = '';
          }}
        />
      </label>
    ),
  };
}

export function TransferBar({ transfers }: { transfers: ReturnType<typeof useTransfers> }) {
  if (transfers.items.length === 0) return null;
  return (
    <ul class="transfers" aria-label="Transfers">
      {transfers.items.map((item) => (
        <li key={item.id} data-testid="transfer" data-state={item.state}>
          <span class="transfer-label">{item.label}</span>
          <progress max={item.total || 1} value={item.done} />
          <span class="transfer-state">{item.state}</span>
          {item.state === 'running' && item.cancel && (
            <button type="button" class="secondary small" onClick={item.cancel} data-testid="cancel-transfer">
              Cancel
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
