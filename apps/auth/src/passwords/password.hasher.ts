import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export interface PasswordHash {
  salt: string;
  hash: string;
  costN: number;
  blockSizeR: number;
  parallelP: number;
}

const COST = { costN: 2 ** 15, blockSizeR: 8, parallelP: 1 } as const;
const KEY_BYTES = 32;

function derive(
  password: string,
  salt: Buffer,
  cost: Pick<PasswordHash, 'costN' | 'blockSizeR' | 'parallelP'>,
): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.costN,
    r: cost.blockSizeR,
    p: cost.parallelP,
    // scrypt needs 128·N·r bytes; leave room above Node's 32 MiB default.
    maxmem: 256 * cost.costN * cost.blockSizeR,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** scrypt (N=2^15, r=8, p=1) with a per-password salt; comparisons in constant time. */
@Injectable()
export class PasswordHasher {
  private dummy?: Promise<PasswordHash>;

  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, COST);
    return { salt: salt.toString('base64'), hash: key.toString('base64'), ...COST };
  }

  async verify(password: string, stored: PasswordHash): Promise<boolean> {
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Spends the same time as a real check, for unknown emails, so timing does not reveal who has an account. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('base64'));
    await this.verify(password, await this.dummy);
    return false;
  }
}
