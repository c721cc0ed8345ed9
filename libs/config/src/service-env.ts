import { hostname } from 'node:os';
import { z } from 'zod';

/** A URL whose scheme is one of `schemes`; a missing value says what is expected, with an example. */
function serviceUrl(schemes: readonly string[], example: string) {
  return z
    .string({ error: () => `required, for example ${example}` })
    .refine((value) => hasScheme(value, schemes), {
      error: `expected a ${schemes.join(' or ')} URL such as ${example}`,
    });
}

function hasScheme(value: string, schemes: readonly string[]): boolean {
  try {
    return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
  } catch {
    return false;
  }
}

// Instance ids name per-instance NATS subjects and relay audiences: one subject token, no dots or wildcards.
const INSTANCE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const defaultInstanceId = () => `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);

/** Environment helpers shared by every service's entry point (`NATS_URL`, `DATABASE_URL`, …). */
export const serviceEnv = {
  /** `NATS_URL`: one server, or several separated by commas. */
  natsServers: () =>
    z
      .string({ error: () => 'required, for example nats://127.0.0.1:4222' })
      .transform((value) => value.split(',').map((server) => server.trim()))
      .refine((servers) => servers.every((server) => hasScheme(server, ['nats', 'tls'])), {
        error: 'expected nats:// URLs separated by commas, such as nats://127.0.0.1:4222',
      }),
  postgresUrl: () => serviceUrl(['postgres', 'postgresql'], 'postgres://hostlink@127.0.0.1:5432/hostlink'),
  /** An optional Postgres schema for the tables (the same rule as `@hostlink/persistence`). */
  postgresSchema: () =>
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'expected a lower-case identifier such as hostlink' })
      .optional(),
  redisUrl: () => serviceUrl(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  /** `INSTANCE_ID`: defaults to hostname and pid, made into one subject token. */
  instanceId: () =>
    z
      .string()
      .regex(INSTANCE_ID, { error: 'expected 1 to 128 letters, digits, "-" or "_"' })
      .default(defaultInstanceId),
  /** A public URL (what clients, agents and token checks see), without a trailing slash. */
  publicUrl: () =>
    serviceUrl(['http', 'https', 'ws', 'wss'], 'https://hostlink.example.com').transform((url) =>
      url.replace(/\/+$/, ''),
    ),
  /** A relay's raw TCP legs as peers reach them, `tcp://host:port`; optional (WebSocket legs always work). */
  relayTcpUrl: () =>
    serviceUrl(['tcp'], 'tcp://relay-0.hostlink.example.com:8200')
      .refine((url) => new URL(url).port !== '', { error: 'expected a port, e.g. tcp://127.0.0.1:8200' })
      .optional(),
  /** The address a listener binds; all interfaces unless set. */
  host: () => z.string().min(1).max(253).default('0.0.0.0'),
  /** Prepended to every Redis key: several deployments or test runs on one Redis. */
  keyPrefix: () =>
    z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{0,128}$/, { error: 'expected up to 128 letters, digits or "_:.-"' })
      .default(''),
  /** An optional NATS subject prefix (several deployments or test runs on one NATS). */
  subjectPrefix: () =>
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
        error: 'expected dot-separated tokens such as staging',
      })
      .optional(),
};

/** What every service reads: where NATS is, an optional subject prefix, and this instance's id. */
export const busServiceEnv = () => ({
  NATS_URL: serviceEnv.natsServers(),
  NATS_SUBJECT_PREFIX: serviceEnv.subjectPrefix(),
  INSTANCE_ID: serviceEnv.instanceId(),
});
