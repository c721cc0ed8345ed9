import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SigningKey, type SigningKeyOwner } from '@hostlink/persistence';
import { IsNull, MoreThan, Repository } from 'typeorm';

@Injectable()
export class SigningKeyRepository {
  constructor(@InjectRepository(SigningKey) private readonly keys: Repository<SigningKey>) {}

  /** The newest key that still signs: when two instances created one at once, both agree on this one. */
  newestActive(owner: SigningKeyOwner): Promise<SigningKey | null> {
    return this.keys.findOne({
      where: { owner, retiredAt: IsNull() },
      order: { createdAt: 'DESC', kid: 'ASC' },
    });
  }

  async insert(key: SigningKey): Promise<void> {
    await this.keys.insert(key);
  }

  /** Keys whose tokens may still be valid: active ones and those retired after `retiredSince`. */
  publishable(owner: SigningKeyOwner, retiredSince: Date): Promise<SigningKey[]> {
    return this.keys.find({
      where: [
        { owner, retiredAt: IsNull() },
        { owner, retiredAt: MoreThan(retiredSince) },
      ],
      order: { createdAt: 'DESC' },
    });
  }

  /** Stops every active key of `owner` from signing; they stay publishable for the grace period. */
  async retireActive(owner: SigningKeyOwner, at: Date): Promise<void> {
    await this.keys.update({ owner, retiredAt: IsNull() }, { retiredAt: at });
  }
}
