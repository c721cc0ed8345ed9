import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { User } from './user.entity.js';

/**
 * One sign-in's chain of rotated refresh tokens. Revocation is recorded here, once, so that a token
 * rotated concurrently with a revocation is dead whatever the order of the two writes.
 */
@Entity('refresh_family')
export class RefreshFamily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  revokedAt!: Date | null;

  /** 'sign-out' | 'reuse' */
  @Column({ type: 'varchar', length: 16, nullable: true })
  revokedReason!: string | null;
}
