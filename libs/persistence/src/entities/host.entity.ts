import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/** An enrolled computer, identified on the wire by its static X25519 public key. */
@Entity('host')
@Index('uq_host_public_key', ['publicKey'], { unique: true })
@Index('ix_host_account', ['accountId'])
export class Host {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36 })
  ownerUserId!: string;

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
