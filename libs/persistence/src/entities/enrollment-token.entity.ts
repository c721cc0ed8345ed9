import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

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

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  usedAt!: Date | null;
}
