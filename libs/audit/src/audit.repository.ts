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

/** Appends to the shared audit log; every service writes its own entries (`auth.*`, `broker.*`). */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.events.insert({ id: randomUUID(), ...entry });
  }
}
