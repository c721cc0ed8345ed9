import { spawn } from 'node:child_process';
import { ErrorCode, HostlinkError, type AppEntry } from '@hostlink/protocol';
import type { AppConfig, DesktopConfig } from '../config/agent-config.js';
import type { RootResolver } from '../files/root-resolver.js';

/**
 * Starts the host owner's configured apps on the host's desktop. Only configured commands run, as argv
 * (no shell), so a client chooses which app and at most one file, never the command line; the file is
 * resolved inside the shared roots like any file operation and passed as one last argument.
 */
export class AppLauncher {
  constructor(
    private readonly apps: readonly AppConfig[],
    private readonly desktop: DesktopConfig | undefined,
    private readonly resolver: RootResolver,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {}

  list(): AppEntry[] {
    return this.apps.map(({ id, name, icon }) => (icon === undefined ? { id, name } : { id, name, icon }));
  }

  async launch(appId: string, path: string | undefined): Promise<{ pid: number }> {
    const app = this.apps.find((candidate) => candidate.id === appId);
    if (!app) throw new HostlinkError(ErrorCode.NotFound, `no app ${appId} on this host`);
    const file = path === undefined ? [] : [await this.filePath(path)];
    const [command, ...args] = app.command as [string, ...string[]];
    const child = spawn(command, [...args, ...file], {
      detached: true,
      stdio: 'ignore',
      env: this.childEnvironment(),
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? 0));
      child.once('error', (error) =>
        reject(new HostlinkError(ErrorCode.Unavailable, `${app.name} did not start (${error.message})`)),
      );
    });
    child.unref();
    return { pid };
  }

  private async filePath(path: string): Promise<string> {
    const target = await this.resolver.resolveTarget(path);
    if (!target) throw new HostlinkError(ErrorCode.BadRequest, 'open a file, not the list of shared folders');
    return target.realPath;
  }

  /** The agent's own environment, with DISPLAY pointing at the desktop the screen view shows. */
  private childEnvironment(): Record<string, string | undefined> {
    const display = this.desktop?.display;
    return display ? { ...this.environment, DISPLAY: display } : { ...this.environment };
  }
}
