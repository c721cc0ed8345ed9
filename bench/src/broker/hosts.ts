import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '@hostlink/client-sdk';
import { AgentHost, freePort, HOST_PASSWORD } from '@hostlink/testing';
import { type HostIdentity, newHostIdentity } from '../agents/host-identity.js';
import { ServiceProcess } from '../agents/service-process.js';
import { SimAgent } from '../agents/sim-agent.js';

/** A real agent enrolled with the CLI's own command and running (`hostlink-agent run`). */
export interface RunningAgent {
  process: ServiceProcess;
  hostName: string;
  /** Stops the agent and removes its config folder and its shared folder. */
  stop(): Promise<void>;
}

/**
 * Enrolls a real agent (`hostlink-agent enroll` with a token from the API) and runs it as a process of its
 * own, with `nodeArgs` (the bench passes --inspect to force a GC before reading its memory).
 */
export async function startRealAgent(
  api: ApiClient,
  sessionToken: string,
  options: { name: string; logDir: string; nodeArgs?: string[] },
): Promise<RunningAgent> {
  const agent = await AgentHost.create();
  const share = await mkdtemp(join(tmpdir(), 'hostlink-bench-broker-share-'));
  const { token } = await api.createEnrollmentToken(sessionToken);
  const enrolled = await agent.enroll(
    ['--server', api.baseUrl, '--token', token, '--name', options.name, '--share', share],
    HOST_PASSWORD,
  );
  if (enrolled.code !== 0) throw new Error(`agent enroll failed:\n${enrolled.stderr}${enrolled.stdout}`);
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: agent.configDir,
    HOSTLINK_AGENT_HOME: agent.configDir,
  };
  const running = await ServiceProcess.start('agent', 'apps/agent/dist/main.js', env, {
    logDir: options.logDir,
    ready: /online as /,
    timeoutMs: 30_000,
    nodeArgs: options.nodeArgs,
    // A port of its own: other agents on this shared machine may hold the default range 53000-53010.
    args: ['run', '--direct-port', String(await freePort())],
  });
  const stop = async () => {
    await running.stop();
    await Promise.all([agent.configDir, share].map((dir) => rm(dir, { recursive: true, force: true })));
  };
  return { process: running, hostName: options.name, stop };
}

/**
 * Registers `count` hosts in the caller's account through the real enrollment API (one enrollment token
 * and one registration each, as `hostlink-agent enroll` does), `concurrency` at a time. Returns how long
 * it took.
 */
export async function enrollHosts(
  api: ApiClient,
  sessionToken: string,
  count: number,
  concurrency = 8,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const { token } = await api.createEnrollmentToken(sessionToken);
      await api.registerAgent({
        enrollmentToken: token,
        name: `bench-host-${String(index).padStart(4, '0')}`,
        os: 'linux',
        publicKey: newHostIdentity().publicKey,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** A host registered through the enrollment API whose static key this process holds (for a `SimAgent`). */
export async function registerProtocolHost(
  api: ApiClient,
  sessionToken: string,
  name: string,
): Promise<{ identity: HostIdentity; pollUrl: string }> {
  const identity = newHostIdentity();
  const { token } = await api.createEnrollmentToken(sessionToken);
  const registered = await api.registerAgent({
    enrollmentToken: token,
    name,
    os: 'linux',
    publicKey: identity.publicKey,
  });
  return { identity: { ...identity, hostId: registered.hostId }, pollUrl: registered.pollUrl };
}

/**
 * A host held online by a protocol-level agent (bench/src/agents/sim-agent.ts: real WebSocket, real proof
 * of its static key, heartbeats) that receives poll's open-relay commands but opens no relay leg, so a
 * connect to it measures the broker and poll without the agent's and relay's work on the same two cores.
 */
export async function startQuietAgent(
  api: ApiClient,
  sessionToken: string,
  name: string,
): Promise<{ hostId: string; stop(): Promise<void> }> {
  const { identity, pollUrl } = await registerProtocolHost(api, sessionToken, name);
  const counters = { heartbeatsSent: 0, connectAttempts: 0, closes: new Map<number, number>(), fatal: 0 };
  const agent = new SimAgent(identity, counters);
  agent.start(pollUrl);
  const deadline = Date.now() + 10_000;
  while (!agent.online) {
    if (Date.now() > deadline) throw new Error(`protocol agent ${name} did not come online`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { hostId: identity.hostId, stop: () => agent.stop() };
}
