import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { User } from './user.entity.js';

/** A user's password as an scrypt hash; the parameters are stored so they can be raised later. */
@Entity('password_credential')
export class PasswordCredential {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** base64 */
  @Column({ type: 'varchar', length: 64 })
  salt!: string;

  /** base64 */
  @Column({ type: 'varchar', length: 128 })
  hash!: string;

  @Column({ type: 'integer' })
  costN!: number;

  @Column({ type: 'integer' })
  blockSizeR!: number;

  @Column({ type: 'integer' })
  parallelP!: number;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  updatedAt!: Date;
}
