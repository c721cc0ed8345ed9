import { POLL_PATH } from '@hostlink/protocol';
import { freePort } from '@hostlink/testing';
import { ServiceProcess } from './service-process.js';

/** What every poll instance of one run shares: the same NATS, Redis and prefixes. */
export interface PollCluster {
  natsUrl: string;
  natsSubjectPrefix: string;
  redisUrl: string;
  redisKeyPrefix: string;
  heartbeatSeconds: number;
  logDir: string;
}

export interface PollInstance {
  id: string;
  port: number;
  url: string;
  process: ServiceProcess;
}

/** `node apps/poll/dist/main.js`, configured by its environment only, as a deployment would start it. */
export async function startPollInstance(
  cluster: PollCluster,
  id: string,
  options: { port?: number; nodeArgs?: string[] } = {},
): Promise<PollInstance> {
  const chosen = options.port ?? (await freePort());
  const env = {
    NATS_URL: cluster.natsUrl,
    NATS_SUBJECT_PREFIX: cluster.natsSubjectPrefix,
    REDIS_URL: cluster.redisUrl,
    REDIS_KEY_PREFIX: cluster.redisKeyPrefix,
    HOST: '127.0.0.1',
    PORT: String(chosen),
    HEARTBEAT_SECONDS: String(cluster.heartbeatSeconds),
    INSTANCE_ID: id,
    // Its /health and /metrics: a port of its own, so that two instances on one machine never collide.
    OPS_PORT: String(await freePort()),
  };
  const process = await ServiceProcess.start(id, 'apps/poll/dist/main.js', env, {
    logDir: cluster.logDir,
    ready: /Nest application successfully started/,
    nodeArgs: options.nodeArgs,
  });
  return { id, port: chosen, url: `ws://127.0.0.1:${chosen}${POLL_PATH}`, process };
}
