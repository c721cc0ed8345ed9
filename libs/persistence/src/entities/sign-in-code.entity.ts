import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { isoDate } from '../iso-date.transformer.js';

/**
 * A one-time sign-in code: what the SAML ACS hands the browser (or the CLI's loopback redirect) instead of
 * tokens. Redeemed once at the token endpoint, bound to the caller's PKCE challenge.
 */
@Entity('sign_in_code')
@Index('ix_sign_in_code_expires', ['expiresAt'])
export class SignInCode {
  /** base64url SHA-256 of the code */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 36 })
  userId!: string;

  /** base64url SHA-256 of the client's code_verifier (RFC 7636 S256). */
  @Column({ type: 'varchar', length: 64 })
  codeChallenge!: string;

  @Column({ type: 'varchar', length: 32, transformer: isoDate })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 32, nullable: true, transformer: isoDate })
  usedAt!: Date | null;
}
