import { Column, Entity, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/** An assertion already exchanged, kept until it expires: a second presentation is a replay. */
@Entity('saml_assertion_use')
export class SamlAssertionUse {
  /** SHA-256 (base64url) of issuer + assertion ID, so long ids and issuers fit one key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;
}
