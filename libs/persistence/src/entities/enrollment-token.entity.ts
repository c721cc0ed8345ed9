import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { Account } from './account.entity.js';
import { User } from './user.entity.js';

/** A single-use enrollment token, stored as the SHA-256 of the opaque value. */
@Entity('enrollment_token')
@Index('uq_enrollment_token_hash', ['tokenHash'], { unique: true })
export class EnrollmentToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: Relation<Account>;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  usedAt!: Date | null;
}
