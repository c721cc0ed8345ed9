import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  type AgentHost,
  type DistributedStack,
  type EnrolledHost,
  enrollHost,
  expectEventually,
  startDistributedStack,
  viaRelay,
} from '@hostlink/testing';
import type { HostView } from '@hostlink/protocol';
import { RawApi } from '../../support/raw-api.js';

export interface SmallShare {
  readonly dir: string;
  readonly file: string;
  readonly content: string;
}

/** A shared folder with one small file, for "can a command reach this host" checks. */
export async function smallShare(): Promise<SmallShare> {
  const dir = await mkdtemp(join(tmpdir(), 'hostlink-share-'));
  const content = `reachable ${basename(dir)}\n`;
  await writeFile(join(dir, 'hello.txt'), content);
  return { dir, file: 'hello.txt', content };
}

/** Hosts enrolled one after the other, each with its own agent process, all sharing `share`. */
export async function enrollFleet(
  stack: DistributedStack,
  names: readonly string[],
  share: string,
): Promise<EnrolledHost[]> {
  const hosts: EnrolledHost[] = [];
  for (const name of names) hosts.push(await enrollHost(stack, name, [share]));
  return hosts;
}

/** The admin's view of the hosts over HTTP (fast enough to poll every few milliseconds). */
export class AdminView {
  private constructor(
    readonly api: RawApi,
    private readonly session: string,
  ) {}

  static async signIn(stack: DistributedStack): Promise<AdminView> {
    const api = new RawApi(stack.urls.gateway);
    const { session } = await api.signIn(stack.admin.email, stack.admin.password);
    return new AdminView(api, session);
  }

  get bearer(): string {
    return this.session;
  }

  async host(name: string): Promise<HostView | undefined> {
    return (await this.api.hosts(this.session)).find((host) => host.name === name);
  }

  async expectOnline(name: string, online: boolean, timeoutMs: number): Promise<void> {
    await expectEventually(async () => assert.equal((await this.host(name))?.online, online, name), {
      timeoutMs,
      intervalMs: 20,
    });
  }
}

/** Fetches the share's file through the relay and compares it: the whole path to the host works. */
export async function expectReachable(host: EnrolledHost, share: SmallShare): Promise<void> {
  const target = join(await mkdtemp(join(tmpdir(), 'hostlink-get-')), share.file);
  const remote = `${host.name}:/${basename(share.dir)}/${share.file}`;
  await host.user.ok(['get', '--via', 'relay', remote, target], { env: viaRelay });
  assert.equal(await readFile(target, 'utf8'), share.content);
}

/** When the agent logged `message` (its JSON log lines on stderr), in epoch milliseconds. */
export function agentLogTimes(agent: AgentHost, message: string): number[] {
  return agent
    .logs()
    .stderr.split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { time: string; message: string })
    .filter((record) => record.message === message)
    .map((record) => Date.parse(record.time));
}

/**
 * Wraps a test body so that a failure carries what the services said that matters (warnings, errors,
 * starts and exits), service by service: the first thing to read when a distributed test fails in CI.
 */
export function withServiceLogs<T extends unknown[]>(
  stack: () => DistributedStack | undefined,
  body: (...args: T) => Promise<void>,
): (...args: T) => Promise<void> {
  return async (...args) => {
    try {
      await body(...args);
    } catch (error) {
      const logs = stack()?.logs() ?? '';
      if (error instanceof Error) error.message += `\n--- service warnings and errors\n${notable(logs)}`;
      throw error;
    }
  };
}

function notable(logs: string): string {
  const kept = logs
    .split('\n')
    .filter((line) => /^(=====|--- )|"level":"(warn|error)"/.test(line))
    .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line));
  return kept.slice(-200).join('\n');
}

export interface OneHostStack {
  stack: DistributedStack;
  share: SmallShare;
  host: EnrolledHost;
  admin: AdminView;
}

/** A fresh distributed stack with one enrolled host sharing a small folder, and the admin signed in. */
export async function startOneHostStack(hostName: string): Promise<OneHostStack> {
  const stack = await startDistributedStack();
  const share = await smallShare();
  const host = await enrollHost(stack, hostName, [share.dir]);
  return { stack, share, host, admin: await AdminView.signIn(stack) };
}

/** Stops what `startOneHostStack` started, whatever part of it a failed `before` got to. */
export async function stopOneHostStack(parts: Partial<OneHostStack>): Promise<void> {
  await parts.host?.agent.stop();
  await parts.stack?.stop();
}
