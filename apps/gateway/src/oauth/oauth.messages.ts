import { Id, MAX_SAML_MESSAGE_CHARS } from '@hostlink/protocol';
import { z } from 'zod';

export const SAML2_BEARER = 'urn:ietf:params:oauth:grant-type:saml2-bearer';

/** RFC 6749 token request bodies (form or JSON), before they become bus requests. */
export const TokenRequestBody = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('password'),
    username: z.string().max(254).optional(),
    email: z.string().max(254).optional(),
    password: z.string().min(1).max(4096),
  }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string().min(1).max(4096) }),
  /** RFC 7522; `account` names the account whose IdP issued the assertion. */
  z.object({
    grant_type: z.literal(SAML2_BEARER),
    assertion: z.string().min(1).max(MAX_SAML_MESSAGE_CHARS),
    account: Id,
  }),
  /** The one-time code of the SAML browser flow with its RFC 7636 verifier. */
  z.object({
    grant_type: z.literal('authorization_code'),
    code: z.string().min(1).max(256),
    code_verifier: z.string().min(1).max(128),
  }),
]);
export type TokenRequestBody = z.infer<typeof TokenRequestBody>;

export const RevokeRequestBody = z.object({
  token: z.string().min(1).max(8192),
  token_type_hint: z.string().max(64).optional(),
});

/** RFC 6749 section 5.1. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

export const GRANT_TYPES = ['password', 'refresh_token', SAML2_BEARER, 'authorization_code'] as const;
