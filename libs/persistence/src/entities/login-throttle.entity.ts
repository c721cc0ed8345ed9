import { Column, Entity, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/**
 * Recent sign-in failures for one email or one client address, kept in the database so that every auth
 * instance enforces the same limit.
 */
@Entity('login_throttle')
export class LoginThrottle {
  /** `email:<address>` or `address:<ip>` */
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  lastFailureAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  blockedUntil!: Date | null;
}
