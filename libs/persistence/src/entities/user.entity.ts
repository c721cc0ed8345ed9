import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

export type UserRole = 'admin' | 'member';

@Entity('app_user')
@Index('uq_user_account_email', ['accountId', 'email'], { unique: true })
@Index('ix_user_email', ['email'])
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  /** Stored lower-cased (the protocol's Email schema lower-cases it). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;
}
