import { fileURLToPath } from 'node:url';
import { busServiceEnv, env, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { DefaultPort } from '@hostlink/protocol';
import { z } from 'zod';

/** The web client's build beside this one in the repository and in the gateway image. */
const BUILT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/public', import.meta.url));

/** The gateway service's environment, validated at boot. */
export const GatewayEnv = z.object({
  ...busServiceEnv(),
  ...opsServiceEnv(),
  HOST: serviceEnv.host(),
  PORT: env.port(DefaultPort.gateway),
  /** The gateway's public URL: browsers' WebSocket upgrades must come from its origin. */
  PUBLIC_URL: serviceEnv.publicUrl(),
  /** The built web client (`apps/web/dist/public`); an empty value serves no page. */
  WEB_ROOT: z.string().default(BUILT_WEB_ROOT),
  /**
   * Space-separated WebSocket origins of the relays the page may connect to, e.g.
   * `wss://relay-0.example.com wss://relay-1.example.com`; default any `wss:` address.
   */
  RELAY_ORIGINS: z
    .string()
    .default('wss:')
    .transform((value) => value.split(/\s+/).filter(Boolean))
    .refine((origins) => origins.every((origin) => /^(wss?:(\/\/[^\s/;,']+)?)$/.test(origin)), {
      error: 'expected space-separated ws:// or wss:// origins, or "wss:"',
    }),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;
