import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { deleteExpired, isUniqueViolation, SamlAssertionUse } from '@hostlink/persistence';
import { Repository } from 'typeorm';

/** Assertions already exchanged, until they expire; shared by every auth instance through the database. */
@Injectable()
export class SamlAssertionUseRepository {
  constructor(@InjectRepository(SamlAssertionUse) private readonly uses: Repository<SamlAssertionUse>) {}

  /** True when this is the first use; false when the key is already spent (the primary key decides races). */
  async spend(use: SamlAssertionUse, now: Date): Promise<boolean> {
    await deleteExpired(this.uses, now);
    try {
      await this.uses.insert(use);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
