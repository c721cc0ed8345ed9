import { ApiPath } from '@hostlink/protocol';

/** Our service provider for one account: its entity id (where its metadata is), ACS and token endpoint. */
export interface SpEndpoints {
  entityId: string;
  acsUrl: string;
  tokenUrl: string;
}

/** `publicUrl` is the gateway's public URL (auth's issuer): every SAML endpoint is served there. */
export function spEndpoints(publicUrl: string, accountId: string): SpEndpoints {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    entityId: base + ApiPath.samlMetadata(accountId),
    acsUrl: base + ApiPath.samlAcs(accountId),
    tokenUrl: base + ApiPath.token,
  };
}
