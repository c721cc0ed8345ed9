import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { RefreshFamily } from './refresh-family.entity.js';
import { User } from './user.entity.js';

/** A refresh token, stored as the SHA-256 of the opaque value; usable once (rotation). */
@Entity('refresh_token')
@Index('uq_refresh_token_hash', ['tokenHash'], { unique: true })
@Index('ix_refresh_token_family', ['familyId'])
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** base64url SHA-256 of the token */
  @Column({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 36 })
  familyId!: string;

  @ManyToOne(() => RefreshFamily, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'family_id' })
  family?: Relation<RefreshFamily>;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  issuedAt!: Date;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;

  /** Set when the token was rotated: presenting it again is reuse. */
  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  usedAt!: Date | null;
}
