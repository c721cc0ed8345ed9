import { z } from 'zod';
import { Email, Secret } from '../primitives.js';

export const PasswordGrantRequest = z.object({
  email: Email,
  password: Secret,
  /** The client's network address as the gateway saw it, for per-address rate limits. */
  clientAddress: z.string().max(64).optional(),
});
export type PasswordGrantRequest = z.infer<typeof PasswordGrantRequest>;

export const RefreshGrantRequest = z.object({ refreshToken: Secret });
export type RefreshGrantRequest = z.infer<typeof RefreshGrantRequest>;

export const SignOutRequest = z.object({ refreshToken: Secret });
export type SignOutRequest = z.infer<typeof SignOutRequest>;

export const TokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())).max(32) });
export type Jwks = z.infer<typeof Jwks>;

export const BootstrapAdminRequest = z.object({ email: Email, password: Secret.optional() });
export type BootstrapAdminRequest = z.infer<typeof BootstrapAdminRequest>;
/** `generatedPassword` is set only when the admin was created now without a given password. */
export const BootstrapAdminResponse = z.object({
  created: z.boolean(),
  email: z.string(),
  generatedPassword: z.string().optional(),
});
export type BootstrapAdminResponse = z.infer<typeof BootstrapAdminResponse>;
