import type { AppEntry } from '@hostlink/protocol';

const KEY = 'hostlink.tray.v1';

/** Which of a host's apps the user keeps in the tray (all of them until the user hides some). */
export class AppTray {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  visible(hostId: string, apps: readonly AppEntry[]): AppEntry[] {
    const hidden = new Set(this.hidden(hostId));
    return apps.filter((app) => !hidden.has(app.id));
  }

  isShown(hostId: string, appId: string): boolean {
    return !this.hidden(hostId).includes(appId);
  }

  toggle(hostId: string, appId: string): void {
    const hidden = new Set(this.hidden(hostId));
    if (hidden.has(appId)) hidden.delete(appId);
    else hidden.add(appId);
    const all = this.read();
    all[hostId] = [...hidden];
    this.storage.setItem(KEY, JSON.stringify(all));
  }

  private hidden(hostId: string): string[] {
    return this.read()[hostId] ?? [];
  }

  private read(): Record<string, string[]> {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(KEY) ?? '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string[]>) : {};
    } catch {
      return {};
    }
  }
}

/** Only images the page made from data: URLs of image types are drawn; anything else is shown as text. */
export function iconImage(icon: string | undefined): string | null {
  return icon && /^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(icon) ? icon : null;
}
