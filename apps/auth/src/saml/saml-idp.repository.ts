import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { SamlIdentityProvider } from '@hostlink/persistence';
import { Repository } from 'typeorm';

/** Each account's SAML identity provider. */
@Injectable()
export class SamlIdpRepository {
  constructor(
    @InjectRepository(SamlIdentityProvider) private readonly idps: Repository<SamlIdentityProvider>,
  ) {}

  find(accountId: string): Promise<SamlIdentityProvider | null> {
    return this.idps.findOneBy({ accountId });
  }

  /** Replaces the account's IdP: a new metadata import is the whole configuration. */
  async save(idp: SamlIdentityProvider): Promise<void> {
    await this.idps.save(idp);
  }
}
