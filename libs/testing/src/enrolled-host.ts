import assert from 'node:assert/strict';
import { AgentHost, CliUser } from './cli-runner.js';
import type { EmbeddedStack } from './embedded-stack.js';
import { expectEventually } from './expect-eventually.js';
import { HostView } from '@hostlink/protocol';
import { z } from 'zod';

export const HOST_PASSWORD = 'host password with spaces ✓';

export interface EnrolledHost {
  user: CliUser;
  agent: AgentHost;
  name: string;
}

/** The newcomer's path from the README: sign in, get an enrollment token, enroll and run an agent. */
export async function enrollHost(
  stack: Pick<EmbeddedStack, 'urls' | 'admin'>,
  name: string,
  shares: readonly string[],
): Promise<EnrolledHost> {
  const user = await CliUser.create();
  await user.ok(['login', '--server', stack.urls.gateway, '--email', stack.admin.email, '--password-stdin'], {
    input: `${stack.admin.password}\n`,
  });
  const token = await newEnrollmentToken(user);
  const agent = await AgentHost.create();
  const enrolled = await agent.enroll(
    [
      '--server',
      stack.urls.gateway,
      '--token',
      token,
      '--name',
      name,
      ...shares.flatMap((dir) => ['--share', dir]),
    ],
    HOST_PASSWORD,
  );
  assert.equal(enrolled.code, 0, `enroll failed:\n${enrolled.stderr}\n${enrolled.stdout}`);
  await agent.start();
  await expectEventually(async () => assert.equal((await hostStatus(user, name))?.online, true), {
    timeoutMs: 10_000,
  });
  return { user, agent, name };
}

export async function newEnrollmentToken(user: CliUser): Promise<string> {
  const printed = await user.ok(['enroll-token']);
  const token = printed.match(/hle_[A-Za-z0-9_-]+/)?.[0];
  assert.ok(token, `no enrollment token in:\n${printed}`);
  assert.match(printed, /hostlink-agent enroll --server \S+ --token hle_/);
  return token;
}

export async function hostStatus(user: CliUser, name: string): Promise<HostView | undefined> {
  const hosts = z.array(HostView).parse(JSON.parse(await user.ok(['hosts', '--json'])));
  return hosts.find((host) => host.name === name);
}

/** Environment for commands that open the host: the host password, and the relay path forced. */
export const viaRelay = { HOSTLINK_HOST_PASSWORD: HOST_PASSWORD };
