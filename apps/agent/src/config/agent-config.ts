import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AppEntry, ErrorCode, HostlinkError, Id, PublicKey, parseOrThrow } from '@hostlink/protocol';

/** An app the host owner offers: launched on the host's desktop with `command` (argv, no shell). */
export const AppConfig = AppEntry.extend({ command: z.array(z.string().min(1)).min(1) });
export type AppConfig = z.infer<typeof AppConfig>;

/** The host's desktop: its VNC server (RFB, e.g. 127.0.0.1:5900) and the X display apps open on. */
export const DesktopConfig = z.object({
  vnc: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected HOST:PORT, e.g. 127.0.0.1:5900'),
  display: z.string().min(1).max(64).optional(),
});
export type DesktopConfig = z.infer<typeof DesktopConfig>;

export const AgentConfig = z.object({
  version: z.literal(1),
  hostId: Id,
  hostName: z.string(),
  serverUrl: z.string(),
  pollUrl: z.string(),
  /** Raw X25519 keys, base64url. */
  staticKey: z.object({ publicKey: PublicKey, privateKey: PublicKey }),
  shares: z.array(z.object({ name: z.string().min(1), path: z.string().min(1) })).min(1),
  hostPasswordHash: z.string().startsWith('scrypt$'),
  brokerKeys: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  /** Absent: this host offers no screen (the `screen` operation is refused). */
  desktop: DesktopConfig.optional(),
  apps: z.array(AppConfig).max(64).optional(),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

const CONFIG_FILE = 'agent.json';

/** `--config-dir`, else HOSTLINK_AGENT_HOME, else the XDG config folder. */
export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.HOSTLINK_AGENT_HOME) return env.HOSTLINK_AGENT_HOME;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'hostlink-agent');
}

/** Holds the private key and password hash: folder 0700, file 0600, replaced atomically. */
export async function saveAgentConfig(dir: string, config: AgentConfig): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const file = join(dir, CONFIG_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}

export async function loadAgentConfig(dir: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, CONFIG_FILE), 'utf8');
  } catch {
    throw new HostlinkError(
      ErrorCode.NotFound,
      `this host is not enrolled (no ${join(dir, CONFIG_FILE)}): run \`hostlink-agent enroll --server URL --token T --name NAME --share DIR\``,
    );
  }
  return parseOrThrow(AgentConfig, JSON.parse(text), `agent config in ${dir}`);
}
