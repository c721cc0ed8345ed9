import type { FileEntry } from '@hostlink/protocol';

export type SortKey = 'name' | 'size' | 'mtime';
export interface Sort {
  readonly key: SortKey;
  readonly descending: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Folders first, then by the chosen key; names compare like people read them (2 before 10, é near e). */
export function sortEntries(entries: readonly FileEntry[], sort: Sort): FileEntry[] {
  const sign = sort.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    const folders = Number(b.type === 'directory') - Number(a.type === 'directory');
    if (folders !== 0) return folders;
    const byKey = sort.key === 'size' ? a.size - b.size : sort.key === 'mtime' ? a.mtimeMs - b.mtimeMs : 0;
    return sign * (byKey || collator.compare(a.name, b.name));
  });
}

/** Narrows the current folder as the user types (case- and accent-insensitive substring). */
export function filterEntries(entries: readonly FileEntry[], query: string): FileEntry[] {
  const needle = fold(query.trim());
  return needle ? entries.filter((entry) => fold(entry.name).includes(needle)) : [...entries];
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface Crumb {
  readonly name: string;
  readonly path: string;
}

/** `/Docs/Über uns` → Home `/`, `Docs` `/Docs`, `Über uns` `/Docs/Über uns`. */
export function breadcrumbs(path: string): Crumb[] {
  const names = path.split('/').filter(Boolean);
  return [
    { name: 'Shared folders', path: '/' },
    ...names.map((name, index) => ({ name, path: `/${names.slice(0, index + 1).join('/')}` })),
  ];
}

export const joinPath = (folder: string, name: string): string =>
  folder === '/' ? `/${name}` : `${folder}/${name}`;

export type PreviewKind = 'image' | 'pdf' | 'text' | null;

const IMAGE = /\.(png|jpe?g|gif|webp|bmp|svg|avif)$/i;
const TEXT = /\.(txt|md|log|csv|json|ya?ml|toml|ini|conf|xml|html?|css|js|ts|py|sh|c|h|rs|go|java)$/i;

export function previewKind(name: string): PreviewKind {
  if (IMAGE.test(name)) return 'image';
  if (/\.pdf$/i.test(name)) return 'pdf';
  return TEXT.test(name) ? 'text' : null;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  avif: 'image/avif',
  pdf: 'application/pdf',
};

/** Text is always shown as plain text, whatever it contains (an .html file is not rendered). */
export function mimeType(name: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME[extension] ?? 'text/plain;charset=utf-8';
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
