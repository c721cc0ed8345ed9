import { busServiceEnv, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { z } from 'zod';

/** The broker service's environment, validated at boot. */
export const BrokerEnv = z.object({
  ...busServiceEnv(),
  ...opsServiceEnv(),
  /** The address the ops endpoints bind (the broker serves nothing else over HTTP). */
  HOST: serviceEnv.host(),
  DATABASE_URL: serviceEnv.postgresUrl(),
  DATABASE_SCHEMA: serviceEnv.postgresSchema(),
  REDIS_URL: serviceEnv.redisUrl(),
  REDIS_KEY_PREFIX: serviceEnv.keyPrefix(),
  /** The gateway's public URL: auth's issuer, and the broker's own issuer is `<PUBLIC_URL>/broker`. */
  PUBLIC_URL: serviceEnv.publicUrl(),
  /** Where agents keep their presence connection (the poll instances behind one address). */
  POLL_PUBLIC_URL: serviceEnv.publicUrl(),
});
export type BrokerEnv = z.infer<typeof BrokerEnv>;
