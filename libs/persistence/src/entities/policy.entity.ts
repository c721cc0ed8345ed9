import type { Policy } from '@hostlink/protocol';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { Account } from './account.entity.js';

/** An account's policy; an account without a row gets the protocol's default policy. */
@Entity('account_policy')
export class AccountPolicy {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: Relation<Account>;

  @Column({ type: 'simple-json' })
  rules!: Policy;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  updatedAt!: Date;
}
