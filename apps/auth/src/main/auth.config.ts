import { busServiceEnv, serviceEnv } from '@hostlink/config';
import { z } from 'zod';

/** The auth service's environment, validated at boot. */
export const AuthEnv = z.object({
  ...busServiceEnv(),
  DATABASE_URL: serviceEnv.postgresUrl(),
  DATABASE_SCHEMA: serviceEnv.postgresSchema(),
  /** The gateway's public URL: the `iss` of every access token. */
  PUBLIC_URL: serviceEnv.publicUrl(),
});
export type AuthEnv = z.infer<typeof AuthEnv>;
