export interface RecentFile {
  readonly hostId: string;
  readonly path: string;
  readonly at: number;
}

const KEY = 'hostlink.recent.v1';
const LIMIT = 20;

/**
 * Files this browser opened lately, newest first, per host. Kept in localStorage (paths only, never
 * content or credentials), so they survive a reload.
 */
export class RecentFiles {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  list(hostId: string): RecentFile[] {
    return this.all().filter((file) => file.hostId === hostId);
  }

  add(hostId: string, path: string, at = Date.now()): void {
    const rest = this.all().filter((file) => !(file.hostId === hostId && file.path === path));
    this.storage.setItem(KEY, JSON.stringify([{ hostId, path, at }, ...rest].slice(0, LIMIT)));
  }

  private all(): RecentFile[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isRecent) : [];
    } catch {
      return [];
    }
  }
}

function isRecent(value: unknown): value is RecentFile {
  const file = value as RecentFile;
  return typeof file?.hostId === 'string' && typeof file.path === 'string' && typeof file.at === 'number';
}
