import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';
import { Account } from './account.entity.js';

/** An account's SAML identity provider, imported from its metadata: one per account. */
@Entity('saml_identity_provider')
export class SamlIdentityProvider {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  @OneToOne(() => Account, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'account_id' })
  account?: Relation<Account>;

  @Column({ type: 'varchar', length: 1024 })
  entityId!: string;

  /** HTTP-Redirect SingleSignOnService location. */
  @Column({ type: 'varchar', length: 2048 })
  ssoUrl!: string;

  /** PEM bodies (base64 DER) of every signing certificate the IdP publishes: more than one in a rollover. */
  @Column({ type: 'simple-json' })
  signingCerts!: string[];

  /** Create a member on first sign-in when the NameID names no user of the account. */
  @Column({ type: 'boolean' })
  jitProvisioning!: boolean;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  updatedAt!: Date;
}
