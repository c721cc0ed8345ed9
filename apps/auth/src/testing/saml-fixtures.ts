import { randomUUID } from 'node:crypto';
import { type SelfSignedCertificate, selfSignedCertificate } from '@hostlink/testing';
import { SignedXml } from 'xml-crypto';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const HMAC_SHA1 = 'http://www.w3.org/2000/09/xmldsig#hmac-sha1';

export type SigningIdentity = SelfSignedCertificate;

export const newSigningIdentity = (name = 'idp'): SigningIdentity => selfSignedCertificate(name);

export function idpMetadataXml(entityId: string, ssoUrl: string, certBodies: string[]): string {
  const keys = certBodies
    .map(
      (cert) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}` +
        `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ` +
    `xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}"><md:IDPSSODescriptor ` +
    `protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}<md:SingleSignOnService ` +
    `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

export interface AssertionFields {
  issuer: string;
  audience: string;
  recipient: string;
  nameId: string;
  inResponseTo?: string;
  notBefore: Date;
  notOnOrAfter: Date;
  id?: string;
}

export function assertionXml(fields: AssertionFields): string {
  const at = (date: Date) => date.toISOString();
  const inResponseTo = fields.inResponseTo ? ` InResponseTo="${fields.inResponseTo}"` : '';
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${fields.id ?? `_a${randomUUID()}`}" ` +
    `Version="2.0" IssueInstant="${at(fields.notBefore)}"><saml:Issuer>${fields.issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">` +
    `${fields.nameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${at(fields.notOnOrAfter)}" Recipient="${fields.recipient}"` +
    `${inResponseTo}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${at(fields.notBefore)}" ` +
    `NotOnOrAfter="${at(fields.notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${fields.audience}` +
    `</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement ` +
    `AuthnInstant="${at(fields.notBefore)}"><saml:AuthnContext><saml:AuthnContextClassRef>` +
    `urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement></saml:Assertion>`
  );
}

export interface ResponseFields {
  issuer: string;
  destination: string;
  inResponseTo?: string;
  status?: string;
  /** Extra XML placed inside the Response before the assertion (wrapping attacks). */
  before?: string;
}

export function responseXml(fields: ResponseFields, assertion: string): string {
  const inResponseTo = fields.inResponseTo ? ` InResponseTo="${fields.inResponseTo}"` : '';
  const status = fields.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
    `xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID()}" Version="2.0" ` +
    `IssueInstant="${new Date().toISOString()}" Destination="${fields.destination}"${inResponseTo}>` +
    `<saml:Issuer>${fields.issuer}</saml:Issuer>${fields.before ?? ''}<samlp:Status><samlp:StatusCode ` +
    `Value="${status}"/></samlp:Status>${assertion}</samlp:Response>`
  );
}

/** Signs the element with local name `element` (the first one), signature placed after its Issuer. */
export function sign(
  xml: string,
  element: 'Assertion' | 'Response',
  identity: SigningIdentity,
  options: { hmacSecret?: string } = {},
): string {
  const signer = new SignedXml({
    privateKey: options.hmacSecret ?? identity.privateKeyPem,
    publicCert: identity.certPem,
    signatureAlgorithm: options.hmacSecret ? HMAC_SHA1 : RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  // The attacker's side of the key confusion: xml-crypto signs HMAC only when asked to.
  if (options.hmacSecret) signer.enableHMAC();
  const path = `//*[local-name(.)='${element}']`;
  signer.addReference({ xpath: path, transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: SHA256 });
  signer.computeSignature(xml, {
    location: { reference: `${path}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

export const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
export const base64url = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64url');
