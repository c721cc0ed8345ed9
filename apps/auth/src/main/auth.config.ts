import { busServiceEnv, serviceEnv } from '@hostlink/config';
import { opsServiceEnv } from '@hostlink/observability';
import { Email } from '@hostlink/protocol';
import { z } from 'zod';
import { DEFAULT_SAML_CLOCK_SKEW_SECONDS } from '../auth.options.js';
import { MIN_PASSWORD_LENGTH } from '../bootstrap/bootstrap.service.js';

/** Shared with the embedded server's HOSTLINK_SAML_CLOCK_SKEW_SECONDS. */
export const samlClockSkew = () =>
  z.coerce.number().int().min(0).max(600).default(DEFAULT_SAML_CLOCK_SKEW_SECONDS);

/** The auth service's environment, validated at boot. */
export const AuthEnv = z
  .object({
    ...busServiceEnv(),
    ...opsServiceEnv(),
    /** The address the ops endpoints bind (auth serves nothing else over HTTP). */
    HOST: serviceEnv.host(),
    DATABASE_URL: serviceEnv.postgresUrl(),
    DATABASE_SCHEMA: serviceEnv.postgresSchema(),
    /** The gateway's public URL: the `iss` of every access token. */
    PUBLIC_URL: serviceEnv.publicUrl(),
    /** Clock skew accepted on SAML assertions' NotBefore / NotOnOrAfter (0 to 600 s). */
    SAML_CLOCK_SKEW_SECONDS: samlClockSkew(),
    /** The first admin, created at boot while the database has no user (both or neither; from a secret). */
    ADMIN_EMAIL: Email.optional(),
    ADMIN_PASSWORD: z
      .string()
      .min(MIN_PASSWORD_LENGTH, { error: `at least ${MIN_PASSWORD_LENGTH} characters` })
      .optional(),
  })
  .refine((env) => (env.ADMIN_EMAIL === undefined) === (env.ADMIN_PASSWORD === undefined), {
    error: 'set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither',
    path: ['ADMIN_PASSWORD'],
  });
export type AuthEnv = z.infer<typeof AuthEnv>;
