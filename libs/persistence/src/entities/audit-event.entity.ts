import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import type { JsonObject } from '../json.js';

export type AuditOutcome = 'success' | 'failure';

/** Append-only security log. No foreign keys: entries outlive what they mention. */
@Entity('audit_event')
@Index('ix_audit_event_account_at', ['accountId', 'at'])
export class AuditEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  /** `user:<id>`, `host:<id>`, `address:<ip>`, `email:<address>` or `system`. */
  @Column({ type: 'varchar', length: 300 })
  actor!: string;

  /** Dotted verb such as `auth.sign-in` or `broker.host.register`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ type: 'simple-json' })
  detail!: JsonObject;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  at!: Date;
}
