import type { FileEntry } from '@hostlink/protocol';

export interface Match {
  readonly path: string;
  readonly entry: FileEntry;
}

interface Props {
  matches: readonly Match[];
  truncated: boolean;
  onOpen: (match: Match) => void;
}

/** Matches of a search below the current folder on the host; paths are agent text, shown as text. */
export function SearchResults({ matches, truncated, onOpen }: Props) {
  return (
    <section class="recent" aria-label="Search results" data-testid="search-results">
      <h2>
        {matches.length === 0
          ? 'Nothing found below this folder'
          : `Found below this folder${truncated ? ' (first ones)' : ''}`}
      </h2>
      <ul>
        {matches.map((match) => (
          <li key={match.path}>
            <button type="button" class="link" onClick={() => onOpen(match)}>
              {match.path}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
