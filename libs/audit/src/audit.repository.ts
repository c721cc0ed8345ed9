import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditEvent, type AuditOutcome, isUniqueViolation, type JsonObject } from '@hostlink/persistence';
import { Repository } from 'typeorm';

export interface AuditEntry {
  /** Given when the entry records an event that may arrive twice (its event id): the second is ignored. */
  id?: string;
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
    try {
      await this.events.insert({ ...entry, id: entry.id ?? randomUUID() });
    } catch (error) {
      if (entry.id === undefined || !isUniqueViolation(error)) throw error;
    }
  }
}
