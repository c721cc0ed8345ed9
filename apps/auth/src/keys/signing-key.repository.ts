import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SigningKey } from '@hostlink/persistence';
import { IsNull, MoreThan, Repository } from 'typeorm';

const OWNER = 'auth';

@Injectable()
export class SigningKeyRepository {
  constructor(@InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>) {}

  /** The newest key that still signs: when two instances created one at once, both agree on this one. */
  newestActive(): Promise<SigningKey | null> {
    return this.keys.findOne({
      where: { owner: OWNER, retiredAt: IsNull() },
      order: { createdAt: 'DESC', kid: 'ASC' },
    });
  }

  async insert(key: Omit<SigningKey, 'owner'>): Promise<void> {
    await this.keys.insert({ ...key, owner: OWNER });
  }

  /** Keys whose tokens may still be valid: active ones and those retired after `retiredSince`. */
  publishable(retiredSince: Date): Promise<SigningKey[]> {
    return this.keys.find({
      where: [
        { owner: OWNER, retiredAt: IsNull() },
        { owner: OWNER, retiredAt: MoreThan(retiredSince) },
      ],
      order: { createdAt: 'DESC' },
    });
  }
}
