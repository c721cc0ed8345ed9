import { busServiceEnv, env, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { DefaultPort } from '@hostlink/protocol';
import { z } from 'zod';

/** The poll service's environment, validated at boot. `INSTANCE_ID` is its poll id. */
export const PollEnv = z.object({
  ...busServiceEnv(),
  ...opsServiceEnv(),
  REDIS_URL: serviceEnv.redisUrl(),
  REDIS_KEY_PREFIX: serviceEnv.keyPrefix(),
  HOST: serviceEnv.host(),
  PORT: env.port(DefaultPort.poll),
  HEARTBEAT_SECONDS: env.seconds(5),
});
export type PollEnv = z.infer<typeof PollEnv>;
