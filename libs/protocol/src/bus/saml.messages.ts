import { z } from 'zod';
import { Id, Jwt, Secret } from '../primitives.js';

/** Metadata documents are small; anything bigger is refused before it is parsed. */
export const MAX_SAML_METADATA_BYTES = 256 * 1024;
/** A POSTed SAMLResponse (base64) or an RFC 7522 assertion (base64url), before decoding. */
export const MAX_SAML_MESSAGE_CHARS = 200 * 1024;

/** RFC 7636 S256 challenge and verifier: 43 base64url characters / 43-128 unreserved characters. */
export const CodeChallenge = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected an S256 code_challenge');
export const CodeVerifier = z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'expected a code_verifier');
/** Where the one-time code goes: a loopback URL (native clients, RFC 8252) or a path of the gateway itself. */
export const SignInRedirect = z.string().max(512);
export const ClientState = z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'expected a state token');

/** Admin only: the caller's OAuth access token names the account whose IdP is set. */
export const SamlImportMetadataRequest = z.object({
  accessToken: Jwt,
  metadataXml: z.string().min(1).max(MAX_SAML_METADATA_BYTES),
  jitProvisioning: z.boolean().default(false),
});
export type SamlImportMetadataRequest = z.infer<typeof SamlImportMetadataRequest>;
export const SamlIdpSummary = z.object({
  accountId: Id,
  entityId: z.string(),
  ssoUrl: z.string(),
  signingCertificates: z.number().int().nonnegative(),
  jitProvisioning: z.boolean(),
  spEntityId: z.string(),
  acsUrl: z.string(),
});
export type SamlIdpSummary = z.infer<typeof SamlIdpSummary>;

export const SamlSpMetadataRequest = z.object({ accountId: Id });
export const SamlSpMetadataResponse = z.object({ xml: z.string() });

export const SamlLoginStartRequest = z.object({
  accountId: Id,
  codeChallenge: CodeChallenge,
  redirectUri: SignInRedirect,
  state: ClientState,
});
export type SamlLoginStartRequest = z.infer<typeof SamlLoginStartRequest>;
/** The IdP URL carrying our AuthnRequest (HTTP-Redirect binding). */
export const SamlRedirect = z.object({ location: z.string() });
export type SamlRedirect = z.infer<typeof SamlRedirect>;

/** What the ACS received by HTTP-POST; the answer is where to send the browser with its one-time code. */
export const SamlAcsRequest = z.object({
  accountId: Id,
  samlResponse: z.string().min(1).max(MAX_SAML_MESSAGE_CHARS),
  /** Passed on but not trusted: the request a response answers is its signed InResponseTo. */
  relayState: z.string().max(128).optional(),
  clientAddress: z.string().max(64).optional(),
});
export type SamlAcsRequest = z.infer<typeof SamlAcsRequest>;

/** RFC 7522: a SAML 2.0 bearer assertion (base64url) exchanged for tokens. */
export const SamlBearerGrantRequest = z.object({
  accountId: Id,
  assertion: z.string().min(1).max(MAX_SAML_MESSAGE_CHARS),
  clientAddress: z.string().max(64).optional(),
});
export type SamlBearerGrantRequest = z.infer<typeof SamlBearerGrantRequest>;

/** The one-time code from the SAML browser flow, redeemed with its PKCE verifier. */
export const CodeGrantRequest = z.object({ code: Secret, codeVerifier: CodeVerifier });
export type CodeGrantRequest = z.infer<typeof CodeGrantRequest>;
