import { busServiceEnv, env, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { DefaultPort } from '@hostlink/protocol';
import { z } from 'zod';

/** The gateway service's environment, validated at boot. */
export const GatewayEnv = z.object({
  ...busServiceEnv(),
  ...opsServiceEnv(),
  HOST: serviceEnv.host(),
  PORT: env.port(DefaultPort.gateway),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;
