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
        <span class="file-icon" aria-hidden="true">
          {folder ? '📁' : '📄'}
        </span>
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
          ⬇
        </button>
      )}
    </li>
  );
}
