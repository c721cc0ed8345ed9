import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { deleteExpired, isoString, SamlRequest } from '@hostlink/persistence';
import { Repository } from 'typeorm';

/** AuthnRequests awaiting their answer, in the database so that any auth instance may receive it. */
@Injectable()
export class SamlRequestRepository {
  constructor(@InjectRepository(SamlRequest) private readonly requests: Repository<SamlRequest>) {}

  /** Stores a new request and drops the expired ones, so unanswered requests do not pile up. */
  async insert(request: SamlRequest, now: Date): Promise<void> {
    await deleteExpired(this.requests, now);
    await this.requests.insert(request);
  }

  /** The request, taken out of the store: of two concurrent answers to one request only one gets it. */
  async consume(id: string, accountId: string, now: Date): Promise<SamlRequest | null> {
    const request = await this.requests.findOneBy({ id, accountId });
    if (!request || request.expiresAt <= now) return null;
    const result = await this.requests
      .createQueryBuilder()
      .delete()
      .where('id = :id AND account_id = :accountId AND expires_at > :now', {
        id,
        accountId,
        now: isoString(now),
      })
      .execute();
    return result.affected === 1 ? request : null;
  }
}
