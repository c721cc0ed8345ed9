import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PublicKey, UserView } from '@hostlink/protocol';

export const CliState = z.object({
  version: z.literal(1),
  /** The client's static X25519 key (raw, base64url): generated once, named in every connection grant. */
  deviceKey: z.object({ publicKey: PublicKey, privateKey: PublicKey }),
  account: z
    .object({
      serverUrl: z.string(),
      email: z.string(),
      refreshToken: z.string(),
      user: UserView.optional(),
      session: z.object({ token: z.string(), expiresAt: z.number() }).optional(),
    })
    .optional(),
});
export type CliState = z.infer<typeof CliState>;
export type Account = NonNullable<CliState['account']>;

const STATE_FILE = 'state.json';

/** `--config-dir`, else HOSTLINK_CONFIG_DIR, else `$XDG_CONFIG_HOME/hostlink` (`~/.config/hostlink`). */
export function resolveConfigDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.HOSTLINK_CONFIG_DIR) return env.HOSTLINK_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'hostlink');
}

/** The state file holds a refresh token and a private key: folder 0700, file 0600, replaced atomically. */
export class StateStore {
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, STATE_FILE);
  }

  async load(): Promise<CliState | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return null;
    }
    const parsed = CliState.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${this.file} is damaged: delete it and run \`hostlink login\` again`);
    return parsed.data;
  }

  async save(state: CliState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
