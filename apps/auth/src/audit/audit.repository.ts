import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditEvent, type AuditOutcome, type JsonObject } from '@hostlink/persistence';
import { Repository } from 'typeorm';

export interface AuditEntry {
  accountId: string | null;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  detail: JsonObject;
  at: Date;
}

/** Auth's entries in the shared audit log (sign-in successes and failures, token reuse). */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.events.insert({ id: randomUUID(), ...entry });
  }
}
