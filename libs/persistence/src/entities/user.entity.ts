import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { Account } from './account.entity.js';

export type UserRole = 'admin' | 'member';

@Entity('app_user')
@Index('uq_user_account_email', ['accountId', 'email'], { unique: true })
@Index('ix_user_email', ['email'])
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: Relation<Account>;

  /** Stored lower-cased (the protocol's Email schema lower-cases it). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;
}
