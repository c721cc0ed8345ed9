import { Inject, Injectable } from '@nestjs/common';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser, type Element } from '@xmldom/xmldom';
import type { SamlIdentityProvider } from '@hostlink/persistence';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from '../auth.options.js';
import { reject, SamlRejectedError, SamlRejection } from './saml.exception.js';
import { childrenNamed, NS } from './saml-message.guard.js';
import type { SpEndpoints } from './sp-endpoints.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** What the signed assertion says, read from the signed element only. */
export interface VerifiedAssertion {
  id: string;
  issuer: string;
  nameId: string;
  inResponseTo: string | null;
  /** The earliest NotOnOrAfter: until then the assertion id is remembered against replay. */
  notOnOrAfter: Date;
}

/**
 * Verifies a SAML Response (browser flow) or a bare assertion (RFC 7522) with node-saml, against the
 * account's pinned certificates only, then checks what node-saml leaves to us: recipient, destination,
 * the response's issuer, and the subject confirmation. Input has passed `inspectSamlXml` first.
 */
@Injectable()
export class SamlValidator {
  constructor(@Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions) {}

  async verifyResponse(idp: SamlIdentityProvider, sp: SpEndpoints, xml: string): Promise<VerifiedAssertion> {
    checkResponseEnvelope(xml, idp, sp);
    return this.verify(idp, sp, xml, [sp.acsUrl]);
  }

  /** RFC 7522 section 3: the Recipient is the token endpoint, or our ACS for an assertion the IdP made for it. */
  verifyBearerAssertion(idp: SamlIdentityProvider, sp: SpEndpoints, xml: string): Promise<VerifiedAssertion> {
    const envelope =
      `<samlp:Response xmlns:samlp="${NS.protocol}" ID="_bearer-envelope" Version="2.0" ` +
      `IssueInstant="${new Date().toISOString()}"><samlp:Status><samlp:StatusCode Value="${SUCCESS}"/>` +
      `</samlp:Status>${xml.replace(/^<\?xml[^>]*\?>/, '')}</samlp:Response>`;
    return this.verify(idp, sp, envelope, [sp.tokenUrl, sp.acsUrl]);
  }

  private async verify(
    idp: SamlIdentityProvider,
    sp: SpEndpoints,
    xml: string,
    recipients: string[],
  ): Promise<VerifiedAssertion> {
    const saml = this.samlFor(idp, sp);
    const result = await saml
      .validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') })
      .catch((error: unknown) => reject(rejectionFor(error), errorText(error)));
    const signedXml =
      result.profile?.getAssertionXml?.() ?? reject(SamlRejection.Signature, 'no signed assertion');
    return readSignedAssertion(signedXml, idp, recipients);
  }

  /** InResponseTo is checked by the caller against our own request store (atomic, shared), not node-saml's. */
  samlFor(idp: SamlIdentityProvider, sp: SpEndpoints, requestId?: string): SAML {
    return new SAML({
      entryPoint: idp.ssoUrl,
      issuer: sp.entityId,
      audience: sp.entityId,
      callbackUrl: sp.acsUrl,
      idpCert: idp.signingCerts,
      idpIssuer: idp.entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: this.options.samlClockSkewSeconds * 1000,
      validateInResponseTo: ValidateInResponseTo.never,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      disableRequestedAuthnContext: true,
      signatureAlgorithm: 'sha256',
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
    });
  }
}

function rejectionFor(error: unknown): SamlRejection {
  if (error instanceof SamlRejectedError) return error.reason;
  const text = errorText(error);
  if (/audience/i.test(text)) return SamlRejection.Audience;
  if (/not yet valid|expired|too old/i.test(text)) return SamlRejection.TimeWindow;
  if (/issuer/i.test(text)) return SamlRejection.Issuer;
  if (/status/i.test(text)) return SamlRejection.Status;
  if (/signature|sign/i.test(text)) return SamlRejection.Signature;
  return SamlRejection.Malformed;
}

const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 200);

function parseElement(xml: string): Element {
  const element = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  return element ?? reject(SamlRejection.Malformed, 'unreadable');
}

const text = (parent: Element, ns: string, name: string): string | undefined =>
  childrenNamed(parent, ns, name)[0]?.textContent?.trim();

/** The response's own Destination and Issuer, when it has them, must be ours and the IdP's. */
function checkResponseEnvelope(xml: string, idp: SamlIdentityProvider, sp: SpEndpoints): void {
  const response = parseElement(xml);
  const destination = response.getAttribute('Destination');
  if (destination && destination !== sp.acsUrl)
    reject(SamlRejection.Destination, `response is for ${destination.slice(0, 200)}`);
  const issuer = text(response, NS.assertion, 'Issuer');
  if (issuer !== undefined && issuer !== idp.entityId)
    reject(SamlRejection.Issuer, `response issued by ${issuer.slice(0, 200)}`);
}

function readSignedAssertion(
  xml: string,
  idp: SamlIdentityProvider,
  recipients: string[],
): VerifiedAssertion {
  const assertion = parseElement(xml);
  const issuer = text(assertion, NS.assertion, 'Issuer');
  if (issuer !== idp.entityId) reject(SamlRejection.Issuer, 'assertion issuer is not the IdP');
  const subject =
    childrenNamed(assertion, NS.assertion, 'Subject')[0] ?? reject(SamlRejection.Subject, 'no Subject');
  const nameId = text(subject, NS.assertion, 'NameID');
  if (!nameId || nameId.length > 254) reject(SamlRejection.Subject, 'no usable NameID');
  const confirmation = bearerConfirmation(subject);
  const recipient = confirmation.getAttribute('Recipient');
  if (!recipient || !recipients.includes(recipient))
    reject(SamlRejection.Recipient, `recipient ${recipient?.slice(0, 200) ?? 'missing'} is not ours`);
  return {
    id: assertion.getAttribute('ID') || reject(SamlRejection.Malformed, 'assertion without ID'),
    issuer: idp.entityId,
    nameId: nameId!,
    inResponseTo: confirmation.getAttribute('InResponseTo') || null,
    notOnOrAfter: earliestExpiry(assertion, confirmation),
  };
}

function bearerConfirmation(subject: Element): Element {
  const confirmation = childrenNamed(subject, NS.assertion, 'SubjectConfirmation').find(
    (element) => element.getAttribute('Method') === BEARER,
  );
  const data = confirmation && childrenNamed(confirmation, NS.assertion, 'SubjectConfirmationData')[0];
  return data ?? reject(SamlRejection.Subject, 'no bearer SubjectConfirmationData');
}

function earliestExpiry(assertion: Element, confirmation: Element): Date {
  const conditions = childrenNamed(assertion, NS.assertion, 'Conditions')[0];
  const times = [conditions?.getAttribute('NotOnOrAfter'), confirmation.getAttribute('NotOnOrAfter')]
    .filter((value): value is string => Boolean(value))
    .map((value) => new Date(value).getTime())
    .filter((value) => Number.isFinite(value));
  if (times.length === 0) reject(SamlRejection.TimeWindow, 'the assertion never expires (no NotOnOrAfter)');
  return new Date(Math.min(...times));
}
