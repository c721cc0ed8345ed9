import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isoString, LoginThrottle } from '@hostlink/persistence';
import { In, Repository } from 'typeorm';

@Injectable()
export class LoginThrottleRepository {
  constructor(@InjectRepository(LoginThrottle) private readonly throttles: Repository<LoginThrottle>) {}

  find(keys: string[]): Promise<LoginThrottle[]> {
    return this.throttles.findBy({ key: In(keys) });
  }

  /**
   * Counts one more failure in a single statement (so concurrent failures all count); the count starts
   * again when the previous failure is older than `windowStart`. Returns the new count.
   */
  async addFailure(key: string, at: Date, windowStart: Date): Promise<number> {
    await this.throttles
      .createQueryBuilder()
      .insert()
      .values({ key, failures: 0, lastFailureAt: at, blockedUntil: null })
      .orIgnore()
      .execute();
    await this.throttles
      .createQueryBuilder()
      .update()
      .set({
        failures: () => 'CASE WHEN last_failure_at < :windowStart THEN 1 ELSE failures + 1 END',
        lastFailureAt: at,
      })
      .where({ key })
      .setParameters({ windowStart: isoString(windowStart) })
      .execute();
    const row = await this.throttles.findOneByOrFail({ key });
    return row.failures;
  }

  async block(key: string, until: Date): Promise<void> {
    await this.throttles.update({ key }, { blockedUntil: until });
  }

  async clear(key: string): Promise<void> {
    await this.throttles.delete({ key });
  }
}
