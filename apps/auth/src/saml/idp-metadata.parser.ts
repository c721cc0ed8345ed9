import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { childrenNamed, NS, parseStrictXml } from './saml-message.guard.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** base64 DER of each signing certificate (all of them during a rollover). */
  signingCerts: string[];
}

const invalid = (message: string): never => {
  throw new HostlinkError(ErrorCode.BadRequest, `IdP metadata: ${message}`);
};

/** The parts of an IdP's SAML metadata we use: entity id, HTTP-Redirect SSO endpoint, signing certificates. */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) invalid('DOCTYPE and entities are refused');
  const root = parseStrictXml(xml, invalid).documentElement!;
  if (root.localName !== 'EntityDescriptor' || root.namespaceURI !== MD)
    return invalid('expected one md:EntityDescriptor');
  const idp = childrenNamed(root, MD, 'IDPSSODescriptor')[0] ?? invalid('no IDPSSODescriptor');
  return {
    entityId: root.getAttribute('entityID') || invalid('no entityID'),
    ssoUrl: redirectLocation(idp),
    signingCerts: signingCerts(idp),
  };
}

function redirectLocation(idp: Element): string {
  const service = childrenNamed(idp, MD, 'SingleSignOnService').find(
    (element) => element.getAttribute('Binding') === REDIRECT,
  );
  const location = service?.getAttribute('Location') ?? invalid('no HTTP-Redirect SingleSignOnService');
  const url = URL.canParse(location) ? new URL(location) : invalid('SingleSignOnService is not a URL');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid('SingleSignOnService must be http(s)');
  return url.toString();
}

function signingCerts(idp: Element): string[] {
  const certs = childrenNamed(idp, MD, 'KeyDescriptor')
    .filter((key) => (key.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((key) => Array.from(key.getElementsByTagNameNS(NS.dsig, 'X509Certificate')))
    .map((element) => (element.textContent ?? '').replace(/\s+/g, ''));
  if (certs.length === 0) invalid('no signing certificate');
  for (const cert of certs) {
    try {
      new X509Certificate(Buffer.from(cert, 'base64'));
    } catch {
      invalid('a signing certificate does not parse');
    }
  }
  return [...new Set(certs)];
}
