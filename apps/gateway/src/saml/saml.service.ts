import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import {
  ClientState,
  CodeChallenge,
  Id,
  MAX_SAML_METADATA_BYTES,
  MAX_SAML_MESSAGE_CHARS,
  parseOrThrow,
  SamlIdpSummary,
  SamlRedirect,
  SamlSpMetadataResponse,
  SignInRedirect,
  Subject,
} from '@hostlink/protocol';
import { z } from 'zod';

const LoginQuery = z.object({
  code_challenge: CodeChallenge,
  redirect_uri: SignInRedirect,
  state: ClientState,
});
const AcsForm = z.object({
  SAMLResponse: z.string().min(1).max(MAX_SAML_MESSAGE_CHARS),
  RelayState: z.string().max(128).optional(),
});
const ImportBody = z.object({
  metadataXml: z.string().min(1).max(MAX_SAML_METADATA_BYTES),
  jitProvisioning: z.boolean().optional(),
});

/** The SAML endpoints over auth's bus subjects. */
@Injectable()
export class SamlService {
  constructor(private readonly bus: BusClient) {}

  async login(accountId: string, query: unknown): Promise<string> {
    const { code_challenge, redirect_uri, state } = parseOrThrow(LoginQuery, query, 'SAML login');
    const request = {
      accountId: account(accountId),
      codeChallenge: code_challenge,
      redirectUri: redirect_uri,
      state,
    };
    return (await this.bus.request(Subject.authSamlLoginStart, request, SamlRedirect)).location;
  }

  async acs(accountId: string, body: unknown, clientAddress: string | undefined): Promise<string> {
    const form = parseOrThrow(AcsForm, body, 'SAML response');
    const request = {
      accountId: account(accountId),
      samlResponse: form.SAMLResponse,
      relayState: form.RelayState,
      clientAddress: clientAddress?.slice(0, 64),
    };
    return (await this.bus.request(Subject.authSamlAcs, request, SamlRedirect)).location;
  }

  async metadata(accountId: string): Promise<string> {
    const answer = await this.bus.request(
      Subject.authSamlSpMetadata,
      { accountId: account(accountId) },
      SamlSpMetadataResponse,
    );
    return answer.xml;
  }

  importMetadata(accessToken: string, body: unknown): Promise<SamlIdpSummary> {
    const { metadataXml, jitProvisioning } = parseOrThrow(ImportBody, body, 'metadata import');
    return this.bus.request(
      Subject.authSamlImportMetadata,
      { accessToken, metadataXml, jitProvisioning: jitProvisioning ?? false },
      SamlIdpSummary,
    );
  }
}

const account = (accountId: string): string => parseOrThrow(Id, accountId, 'account id');
