import { useEffect, useMemo, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import type { FileEntry } from '@hostlink/protocol';
import { breadcrumbs, filterEntries, joinPath, previewKind, sortEntries, type Sort } from './file-list.js';
import { FileRow } from './file-row.js';
import { PreviewCache } from './preview-cache.js';
import { PreviewView } from './preview.view.js';
import { RecentFiles } from './recent-files.js';
import { SearchResults, type Match } from './search-results.js';
import { TransferBar, useTransfers } from './transfer-bar.js';

const caches = new WeakMap<HostConnection, PreviewCache>();
const cacheFor = (connection: HostConnection) => {
  const cache = caches.get(connection) ?? new PreviewCache();
  caches.set(connection, cache);
  return cache;
};

/** Browse the host's shared folders: breadcrumbs, sort, search, recent files, preview and transfers. */
export function FilesView({ connection, hostId }: { connection: HostConnection; hostId: string }) {
  const [folder, setFolder] = useState('/');
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });
  const [query, setQuery] = useState('');
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [found, setFound] = useState<{ matches: Match[]; truncated: boolean } | null>(null);
  const recent = useMemo(() => new RecentFiles(localStorage), []);
  const transfers = useTransfers(connection, () => void refresh());
  const refresh = async () => {
    try {
      setEntries(await connection.list(folder));
      setError('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  useEffect(() => {
    setEntries(null);
    setQuery('');
    setFound(null);
    void refresh();
  }, [folder, connection]);
  const open = (entry: FileEntry) => {
    const path = joinPath(folder, entry.name);
    if (entry.type === 'directory') return setFolder(path);
    if (previewKind(entry.name)) {
      recent.add(hostId, path);
      setPreview(path);
    }
  };
  /** Enter searches the whole tree below this folder on the host, not only what is listed. */
  const searchHost = async () => {
    if (!query.trim() || folder === '/') return;
    try {
      setFound(await connection.search(folder, query.trim()));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const openMatch = (match: Match) => {
    if (match.entry.type === 'directory') return setFolder(match.path);
    if (previewKind(match.entry.name)) {
      recent.add(hostId, match.path);
      setPreview(match.path);
    }
  };
  const shown = sortEntries(filterEntries(entries ?? [], query), sort);
  return (
    <section class="files">
      <nav class="crumbs" aria-label="Folder" data-testid="breadcrumbs">
        {breadcrumbs(folder).map((crumb) => (
          <button
            type="button"
            key={crumb.path}
            onClick={() => setFolder(crumb.path)}
            aria-current={crumb.path === folder ? 'page' : undefined}
          >
            {crumb.name}
          </button>
        ))}
      </nav>
      <div class="toolbar">
        <input
          type="search"
          placeholder="Search (Enter: everything below)"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => event.key === 'Enter' && void searchHost()}
          aria-label="Search by name"
          data-testid="search"
        />
        <select
          aria-label="Sort by"
          value={`${sort.key}:${sort.descending}`}
          onChange={(event) => setSort(parseSort(event.currentTarget.value))}
        >
          <option value="name:false">Name A–Z</option>
          <option value="name:true">Name Z–A</option>
          <option value="mtime:true">Newest</option>
          <option value="size:true">Largest</option>
        </select>
        {folder !== '/' && transfers.uploadButton(folder)}
      </div>
      <TransferBar transfers={transfers} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {entries === null && !error && <p>Loading…</p>}
      <ul class="file-list" data-testid="file-list">
        {shown.map((entry) => (
          <FileRow
            key={entry.name}
            entry={entry}
            onOpen={() => open(entry)}
            onDownload={() => transfers.download(joinPath(folder, entry.name), entry.name)}
          />
        ))}
      </ul>
      {found && <SearchResults matches={found.matches} truncated={found.truncated} onOpen={openMatch} />}
      {folder === '/' && <RecentList recent={recent} hostId={hostId} onOpen={setPreview} />}
      {preview && (
        <PreviewView
          path={preview}
          cache={cacheFor(connection)}
          connection={connection}
          onClose={() => setPreview(null)}
        />
      )}
    </section>
  );
}

function RecentList({
  recent,
  hostId,
  onOpen,
}: {
  recent: RecentFiles;
  hostId: string;
  onOpen: (path: string) => void;
}) {
  const files = recent.list(hostId);
  if (files.length === 0) return null;
  return (
    <section class="recent" aria-label="Recent files">
      <h2>Recent</h2>
      <ul>
        {files.map((file) => (
          <li key={file.path}>
            <button type="button" class="link" onClick={() => onOpen(file.path)}>
              {file.path}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function parseSort(value: string): Sort {
  const [key, descending] = value.split(':');
  return { key: key === 'size' || key === 'mtime' ? key : 'name', descending: descending === 'true' };
}
