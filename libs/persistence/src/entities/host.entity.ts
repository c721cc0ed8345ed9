import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { Account } from './account.entity.js';
import { User } from './user.entity.js';

/** An enrolled computer, identified on the wire by its static X25519 public key. */
@Entity('host')
@Index('uq_host_public_key', ['publicKey'], { unique: true })
@Index('ix_host_account', ['accountId'])
@Index('uq_host_account_name', ['accountId', 'name'], { unique: true })
export class Host {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: Relation<Account>;

  @Column({ type: 'varchar', length: 36 })
  ownerUserId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'owner_user_id' })
  ownerUser?: Relation<User>;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  os!: string;

  /** base64url, 32 bytes */
  @Column({ type: 'varchar', length: 43 })
  publicKey!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  enrolledAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  lastSeenAt!: Date | null;
}
