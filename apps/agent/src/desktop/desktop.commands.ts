import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppId, ErrorCode, HostlinkError, parseOrThrow } from '@hostlink/protocol';
import { AppConfig, DesktopConfig, loadAgentConfig, saveAgentConfig } from '../config/agent-config.js';

/** `hostlink-agent desktop --vnc 127.0.0.1:5900 [--display :0]`: which screen the host shares. */
export async function configureDesktop(configDir: string, options: { vnc: string; display?: string }) {
  const config = await loadAgentConfig(configDir);
  const desktop = parseOrThrow(DesktopConfig, options, 'desktop settings');
  await saveAgentConfig(configDir, { ...config, desktop });
  return desktop;
}

export interface AddAppOptions {
  readonly id: string;
  readonly name: string;
  readonly icon?: string;
  readonly command: readonly string[];
}

/** Adds or replaces one app; `icon` is an image file (PNG, JPEG, SVG) stored inline or a short text. */
export async function addApp(configDir: string, options: AddAppOptions): Promise<AppConfig> {
  const config = await loadAgentConfig(configDir);
  const app = parseOrThrow(
    AppConfig,
    {
      id: parseOrThrow(AppId, options.id, 'app id'),
      name: options.name,
      command: options.command,
      ...(options.icon === undefined ? {} : { icon: await iconValue(options.icon) }),
    },
    'app',
  );
  const apps = [...(config.apps ?? []).filter((existing) => existing.id !== app.id), app];
  await saveAgentConfig(configDir, { ...config, apps });
  return app;
}

export async function removeApp(configDir: string, id: string): Promise<void> {
  const config = await loadAgentConfig(configDir);
  const apps = config.apps ?? [];
  if (!apps.some((app) => app.id === id)) throw new HostlinkError(ErrorCode.NotFound, `no app ${id}`);
  await saveAgentConfig(configDir, { ...config, apps: apps.filter((app) => app.id !== id) });
}

export async function listApps(configDir: string): Promise<AppConfig[]> {
  return (await loadAgentConfig(configDir)).apps ?? [];
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
};

async function iconValue(icon: string): Promise<string> {
  const type = IMAGE_TYPES[extname(icon).toLowerCase()];
  if (!type) return icon;
  const bytes = await readFile(icon);
  return `data:${type};base64,${bytes.toString('base64')}`;
}
