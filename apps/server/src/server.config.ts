import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { samlClockSkew } from '@hostlink/auth';
import { env, serviceEnv } from '@hostlink/config';
import { DefaultPort, POLL_PATH, RELAY_WS_PATH } from '@hostlink/protocol';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** `apps/web/dist/public`, beside this app's build. */
const BUILT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/public', import.meta.url));

/** Every setting of the embedded server, read once from the environment. */
export const ServerEnv = z.object({
  HOSTLINK_DATA_DIR: z.string().min(1).default('./data'),
  HOSTLINK_HOST: z.string().min(1).default('127.0.0.1'),
  HOSTLINK_GATEWAY_PORT: env.port(DefaultPort.gateway),
  HOSTLINK_RELAY_PORT: env.port(DefaultPort.relay),
  HOSTLINK_POLL_PORT: env.port(DefaultPort.poll),
  HOSTLINK_PUBLIC_URL: env.url().optional(),
  HOSTLINK_PUBLIC_RELAY_URL: env.url().optional(),
  /** Defaults to the relay port on the advertised host, unless HOSTLINK_PUBLIC_RELAY_URL says the relay is elsewhere. */
  HOSTLINK_PUBLIC_RELAY_TCP_URL: serviceEnv.relayTcpUrl(),
  HOSTLINK_PUBLIC_POLL_URL: env.url().optional(),
  HOSTLINK_ADMIN_EMAIL: z.email({ message: 'expected an email address' }).default('admin@hostlink.local'),
  HOSTLINK_ADMIN_PASSWORD: z.string().min(1).max(4096).optional(),
  HOSTLINK_HEARTBEAT_SECONDS: env.seconds(5),
  HOSTLINK_PAIR_TIMEOUT_SECONDS: env.seconds(15),
  HOSTLINK_SAML_CLOCK_SKEW_SECONDS: samlClockSkew(),
  HOSTLINK_RELAY_ID: z.string().min(1).max(128).default('embedded'),
  HOSTLINK_POLL_ID: z.string().min(1).max(128).default('embedded'),
  /** The built web client; an empty value serves no page. */
  HOSTLINK_WEB_ROOT: z.string().default(BUILT_WEB_ROOT),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

/** The config with every port bound-able and every public URL known. */
export interface ServerSettings {
  dataDir: string;
  databaseFile: string;
  host: string;
  ports: { gateway: number; relay: number; poll: number };
  urls: { gateway: string; relay: string; relayTcp?: string; poll: string };
  adminEmail: string;
  adminPassword?: string;
  heartbeatSeconds: number;
  pairTimeoutMs: number;
  samlClockSkewSeconds: number;
  relayId: string;
  pollId: string;
  webRoot?: string;
}

/** Builds the settings once the real ports are known (a configured 0 has been replaced by a free port). */
export function settingsFrom(config: ServerEnv, ports: ServerSettings['ports']): ServerSettings {
  const publicHost = advertisedHost(config.HOSTLINK_HOST);
  const dataDir = resolve(config.HOSTLINK_DATA_DIR);
  return {
    dataDir,
    databaseFile: resolve(dataDir, 'hostlink.sqlite'),
    host: config.HOSTLINK_HOST,
    ports,
    urls: {
      gateway: trimSlash(config.HOSTLINK_PUBLIC_URL ?? `http://${publicHost}:${ports.gateway}`),
      relay: config.HOSTLINK_PUBLIC_RELAY_URL ?? `ws://${publicHost}:${ports.relay}${RELAY_WS_PATH}`,
      relayTcp: config.HOSTLINK_PUBLIC_RELAY_TCP_URL ?? defaultRelayTcpUrl(config, publicHost, ports.relay),
      poll: config.HOSTLINK_PUBLIC_POLL_URL ?? `ws://${publicHost}:${ports.poll}${POLL_PATH}`,
    },
    adminEmail: config.HOSTLINK_ADMIN_EMAIL.toLowerCase(),
    adminPassword: config.HOSTLINK_ADMIN_PASSWORD,
    heartbeatSeconds: config.HOSTLINK_HEARTBEAT_SECONDS,
    pairTimeoutMs: config.HOSTLINK_PAIR_TIMEOUT_SECONDS * 1000,
    samlClockSkewSeconds: config.HOSTLINK_SAML_CLOCK_SKEW_SECONDS,
    relayId: config.HOSTLINK_RELAY_ID,
    pollId: config.HOSTLINK_POLL_ID,
    webRoot: config.HOSTLINK_WEB_ROOT || undefined,
  };
}

/**
 * Raw TCP legs on the relay's own port, when the relay is where this server binds it: a relay published
 * elsewhere (a proxy, an ingress) may not pass raw TCP, so it is offered only when configured.
 */
function defaultRelayTcpUrl(config: ServerEnv, publicHost: string, port: number): string | undefined {
  return config.HOSTLINK_PUBLIC_RELAY_URL ? undefined : `tcp://${publicHost}:${port}`;
}

/** A wildcard bind address is not something to dial: advertise this machine's first LAN address instead. */
function advertisedHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal);
  return lan?.address ?? '127.0.0.1';
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');
