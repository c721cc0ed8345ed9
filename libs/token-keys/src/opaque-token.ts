import { createHash, randomBytes } from 'node:crypto';

/** A fresh opaque secret: the kind's prefix and 32 random bytes in base64url. */
export const newOpaqueToken = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

/** What the database keeps of an opaque secret: its SHA-256, so a database leak does not leak tokens. */
export const hashOpaqueToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');
