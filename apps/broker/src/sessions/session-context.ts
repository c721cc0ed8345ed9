import { z } from 'zod';

/** Who is asking, derived from a verified token; passed explicitly to every use case. */
export const SessionContext = z.object({
  userId: z.uuid(),
  accountId: z.uuid(),
  email: z.string().max(254),
  role: z.enum(['admin', 'member']),
});
export type SessionContext = z.infer<typeof SessionContext>;

/** The identity claims shared by auth's access tokens and the broker's session tokens. */
export const IdentityClaims = z.object({
  sub: z.uuid(),
  acc: z.uuid(),
  email: z.string().max(254),
  role: z.enum(['admin', 'member']),
});

export const contextFromClaims = (claims: z.infer<typeof IdentityClaims>): SessionContext => ({
  userId: claims.sub,
  accountId: claims.acc,
  email: claims.email,
  role: claims.role,
});
