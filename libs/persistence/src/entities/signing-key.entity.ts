import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import type { JsonObject } from '../json.js';

export type SigningKeyOwner = 'auth' | 'broker';

/** A service's JWT signing key, shared by all its instances through the database. */
@Entity('signing_key')
@Index('ix_signing_key_owner', ['owner'])
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  owner!: SigningKeyOwner;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ type: 'simple-json' })
  publicJwk!: JsonObject;

  @Column({ type: 'simple-json' })
  privateJwk!: JsonObject;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  createdAt!: Date;

  /** After retirement the key signs nothing but stays published until tokens it signed have expired. */
  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  retiredAt!: Date | null;
}
