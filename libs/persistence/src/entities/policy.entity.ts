import type { Policy } from '@hostlink/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/** An account's policy; an account without a row gets the protocol's default policy. */
@Entity('account_policy')
export class AccountPolicy {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'simple-json' })
  rules!: Policy;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  updatedAt!: Date;
}
