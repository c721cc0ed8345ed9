import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuditEvent,
  type AuditOutcome,
  insertSkippingDuplicates,
  type JsonObject,
} from '@hostlink/persistence';
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

interface Pending {
  row: AuditEvent;
  stored: () => void;
  failed: (error: unknown) => void;
}

/** Rows per INSERT: far below both databases' limits on bound parameters (7 per row). */
const MAX_BATCH = 500;

/**
 * Appends to the shared audit log; every service writes its own entries (`auth.*`, `broker.*`).
 *
 * Group commit: `record` resolves once its entry is stored, so a caller that replies after it never
 * replies about something the log may lose (a crash loses only entries nobody was told about). An entry
 * recorded while no write is in flight is written at once, alone: no added wait. Entries recorded while
 * one is in flight wait for it and then go together in one multi-row INSERT: under load the log costs one
 * round trip per batch instead of one per entry. Hand-written (about 30 lines): the batching libraries at
 * hand (DataLoader and the like) batch reads per tick, not "write now, batch what arrives meanwhile".
 */
@Injectable()
export class AuditRepository {
  private queue: Pending[] = [];
  private writing = false;

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise((stored, failed) => {
      this.queue.push({ row: { ...entry, id: entry.id ?? randomUUID() }, stored, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  /** One INSERT for the batch; if it fails, each entry alone, so one bad entry fails only its caller. */
  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.insert(batch.map((pending) => pending.row));
      for (const pending of batch) pending.stored();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.failed(error);
      for (const pending of batch) await this.insert([pending.row]).then(pending.stored, pending.failed);
    }
  }

  /** An id already in the log is an event delivered twice: skipped (its only unique constraint is the id). */
  private insert(rows: AuditEvent[]): Promise<void> {
    return insertSkippingDuplicates(this.events.manager.dataSource, AuditEvent, rows);
  }
}
