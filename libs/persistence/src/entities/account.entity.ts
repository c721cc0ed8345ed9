import { Column, Entity, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/** A tenant: users, hosts and the policy belong to one account. */
@Entity('account')
export class Account {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;
}
