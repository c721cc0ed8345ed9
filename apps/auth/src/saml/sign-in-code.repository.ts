import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { deleteExpired, SignInCode, spendTokenQuery } from '@hostlink/persistence';
import { Repository } from 'typeorm';

/** One-time sign-in codes, stored as hashes. */
@Injectable()
export class SignInCodeRepository {
  constructor(@InjectRepository(SignInCode) private readonly codes: Repository<SignInCode>) {}

  /** Stores a new code and drops expired ones (used or not: they can never be redeemed again). */
  async insert(code: SignInCode, now: Date): Promise<void> {
    await deleteExpired(this.codes, now);
    await this.codes.insert(code);
  }

  /** The code's row if this call spent it (unused, unexpired, matching challenge); null otherwise. */
  async spend(tokenHash: string, codeChallenge: string, at: Date): Promise<SignInCode | null> {
    const result = await spendTokenQuery(this.codes, tokenHash, at)
      .andWhere('code_challenge = :codeChallenge', { codeChallenge })
      .execute();
    return result.affected === 1 ? this.codes.findOneBy({ tokenHash }) : null;
  }
}
