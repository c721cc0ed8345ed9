import { z } from 'zod';

/** 32 raw bytes in unpadded base64url: X25519 public keys on every wire. */
export const PublicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte key in base64url');
/** A relay instance's id (its `INSTANCE_ID`): one NATS subject token, also a ticket audience. */
export const RelayId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: 'expected a relay id' });

export const Id = z.uuid();
export const Email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());
/** Host names are shown to people: any script, no control characters. */
export const HostName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // Format characters include bidi overrides that disguise names; the joiners inside emoji stay allowed.
  .regex(/^(?:[^\p{Cc}\p{Cf}]|\u200c|\u200d)+$/u, 'host name must not contain control or format characters')
  .regex(/^[^:]+$/, "host name must not contain ':' (it separates host and path in HOST:PATH)")
  .refine((name) => !isUuid(name), 'host name must not look like a host id');
function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

export const Secret = z.string().min(1).max(4096);
export const Jwt = z
  .string()
  .max(8192)
  .regex(/^[\w-]+\.[\w-]+\.[\w-]*$/, 'expected a compact JWT');
export const Port = z.number().int().min(1).max(65535);
export const IsoTime = z.iso.datetime();
/** Follows one request or connection through the services' logs (HTTP `X-Request-Id`, NATS header). */
export const CorrelationId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'expected up to 128 letters, digits or "_.:-"');

export const Candidate = z.object({ address: z.string().min(1).max(255), port: Port });
export type Candidate = z.infer<typeof Candidate>;

export const Policy = z.object({
  network: z.enum(['direct-only', 'unrestricted']),
  saveHostPassword: z.boolean(),
  clipboard: z.boolean(),
  download: z.boolean(),
  upload: z.boolean(),
});
export type Policy = z.infer<typeof Policy>;

export const defaultPolicy: Policy = {
  network: 'unrestricted',
  saveHostPassword: false,
  clipboard: true,
  download: true,
  upload: true,
};
