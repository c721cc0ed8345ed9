import type { Repository, UpdateQueryBuilder } from 'typeorm';
import { isoString } from './iso-date.transformer.js';

/** The columns every single-use token table shares (refresh_token, enrollment_token). */
export interface SingleUseToken {
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/**
 * The one conditional UPDATE that spends a single-use token if, and only if, it is unused and unexpired:
 * of two concurrent uses exactly one affects a row. Callers may narrow it further before `execute()`.
 */
export function spendTokenQuery(
  tokens: Repository<SingleUseToken>,
  tokenHash: string,
  at: Date,
): UpdateQueryBuilder<SingleUseToken> {
  return tokens
    .createQueryBuilder()
    .update()
    .set({ usedAt: at })
    .where('token_hash = :tokenHash AND used_at IS NULL AND expires_at > :now', {
      tokenHash,
      now: isoString(at),
    });
}

/** Drops the rows of a table with an `expires_at` column that have expired: stores that forget by time. */
export async function deleteExpired(rows: Repository<{ expiresAt: Date }>, now: Date): Promise<void> {
  await rows
    .createQueryBuilder()
    .delete()
    .where('expires_at <= :now', { now: isoString(now) })
    .execute();
}
