import { Column, Entity, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/**
 * An AuthnRequest we sent, remembered until it is answered or expires, so a response's InResponseTo must
 * name one of ours (any auth instance may receive the answer).
 */
@Entity('saml_request')
export class SamlRequest {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  /** The instant node-saml stored with the id (ISO string). */
  @Column({ type: 'varchar', length: 64 })
  value!: string;

  /** The client's PKCE challenge, where its one-time code goes and its state: bound to this request. */
  @Column({ type: 'varchar', length: 64 })
  codeChallenge!: string;

  @Column({ type: 'varchar', length: 512 })
  redirectUri!: string;

  @Column({ type: 'varchar', length: 128 })
  clientState!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;
}
