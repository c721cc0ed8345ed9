import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EnrollmentToken, spendTokenQuery } from '@hostlink/persistence';
import { Repository } from 'typeorm';

export interface NewEnrollmentToken {
  tokenHash: string;
  accountId: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

@Injectable()
export class EnrollmentTokenRepository {
  constructor(@InjectRepository(EnrollmentToken) private readonly tokens: Repository<EnrollmentToken>) {}

  async insert(token: NewEnrollmentToken): Promise<void> {
    await this.tokens.insert({ id: randomUUID(), ...token, usedAt: null });
  }

  /**
   * Marks the token used if it is unused and unexpired, in one conditional UPDATE, and returns it; of
   * two concurrent registrations exactly one gets the token.
   */
  async consume(tokenHash: string, at: Date): Promise<EnrollmentToken | null> {
    const result = await spendTokenQuery(this.tokens, tokenHash, at).execute();
    return result.affected === 1 ? this.tokens.findOneBy({ tokenHash }) : null;
  }

  /** Undoes `consume` when the registration it was for could not complete. */
  async release(tokenHash: string, usedAt: Date): Promise<void> {
    await this.tokens.update({ tokenHash, usedAt }, { usedAt: null });
  }

  findByHash(tokenHash: string): Promise<EnrollmentToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }
}
