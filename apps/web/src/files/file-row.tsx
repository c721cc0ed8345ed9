import type { FileEntry } from '@hostlink/protocol';
import { formatSize } from './file-list.js';

interface Props {
  entry: FileEntry;
  onOpen: () => void;
  onDownload: () => void;
}

/** One entry; its name is agent-supplied text, rendered as text (Preact escapes it), never as markup. */
export function FileRow({ entry, onOpen, onDownload }: Props) {
  const folder = entry.type === 'directory';
  return (
    <li class="file-row" data-testid="file-row" data-type={entry.type}>
      <button type="button" class="file-open" onClick={onOpen} data-name={entry.name}>
        <FileIcon folder={folder} />
        <span class="file-name">{entry.name}</span>
        <span class="file-meta">{folder ? '' : formatSize(entry.size)}</span>
      </button>
      {!folder && (
        <button
          type="button"
          class="secondary small"
          onClick={onDownload}
          aria-label={`Download ${entry.name}`}
          data-testid="download"
        >
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path
              d="M12 4v11m0 0-5-5m5 5 5-5M5 20h14"
              fill="none"
              stroke="currentColor"
              stroke-width="2"
              stroke-linecap="round"
            />
          </svg>
        </button>
      )}
    </li>
  );
}

/** Drawn, not an emoji: devices without an emoji font would show empty boxes. */
function FileIcon({ folder }: { folder: boolean }) {
  return (
    <svg class="file-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
      {folder ? (
        <path d="M3 6h7l2 2h9v11H3z" fill="#f2b84b" />
      ) : (
        <path d="M6 3h8l4 4v14H6z" fill="none" stroke="currentColor" stroke-width="1.6" />
      )}
    </svg>
  );
}
