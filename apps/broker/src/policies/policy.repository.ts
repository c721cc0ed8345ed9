import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccountPolicy } from '@hostlink/persistence';
import { defaultPolicy, type Policy, Policy as PolicySchema } from '@hostlink/protocol';
import { Repository } from 'typeorm';

@Injectable()
export class PolicyRepository {
  constructor(@InjectRepository(AccountPolicy) private readonly policies: Repository<AccountPolicy>) {}

  /** The account's policy; the default when none is stored or the stored one no longer parses (fail to the schema). */
  async forAccount(accountId: string): Promise<Policy> {
    const stored = await this.policies.findOneBy({ accountId });
    const parsed = PolicySchema.safeParse(stored?.rules);
    return parsed.success ? parsed.data : defaultPolicy;
  }
}
