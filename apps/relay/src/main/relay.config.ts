import { busServiceEnv, env, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { DefaultPort } from '@hostlink/protocol';
import { z } from 'zod';

/** The relay service's environment, validated at boot. `INSTANCE_ID` is its relay id (tickets name it). */
export const RelayEnv = z.object({
  ...busServiceEnv(),
  ...opsServiceEnv(),
  HOST: serviceEnv.host(),
  PORT: env.port(DefaultPort.relay),
  /** This instance's own address, e.g. wss://relay-0.hostlink.example.com/relay. */
  RELAY_PUBLIC_URL: serviceEnv.publicUrl(),
  /** Its raw TCP legs where peers can reach them directly (not through an HTTPS ingress), e.g. tcp://relay-0.hostlink.example.com:8200. */
  RELAY_PUBLIC_TCP_URL: serviceEnv.relayTcpUrl(),
  /** The gateway's public URL: tickets must come from the broker at `<PUBLIC_URL>/broker`. */
  PUBLIC_URL: serviceEnv.publicUrl(),
  PAIR_TIMEOUT_SECONDS: env.seconds(15),
});
export type RelayEnv = z.infer<typeof RelayEnv>;
