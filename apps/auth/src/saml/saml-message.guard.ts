import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { reject, SamlRejection } from './saml.exception.js';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Decoded XML larger than this is refused: real responses are a few KiB. */
export const MAX_SAML_XML_BYTES = 128 * 1024;

/** Asymmetric signatures with SHA-2 only: HMAC would take our public certificate as its secret. */
const SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * Decodes a POSTed SAMLResponse (base64) or an RFC 7522 assertion (base64url) and refuses, before any
 * SAML processing, what past signature-wrapping and parser attacks needed: a DOCTYPE or entity, comments
 * or processing instructions (they split a NameID without breaking its signature), compressed or
 * oversized input, duplicate IDs, any assertion other than the one in the expected place, and weak or
 * symmetric signature algorithms. Returns the XML as received, for node-saml to verify.
 */
export function inspectSamlXml(encoded: string, root: 'Response' | 'Assertion'): string {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > MAX_SAML_XML_BYTES) reject(SamlRejection.TooLarge, `over ${MAX_SAML_XML_BYTES} bytes`);
  const xml = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!xml.trimStart().startsWith('<'))
    reject(SamlRejection.Compressed, 'not XML (compressed messages are not accepted over HTTP-POST)');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) reject(SamlRejection.Doctype, 'DOCTYPE and entities are refused');
  if (/<!--/.test(xml) || /<\?(?!xml\s)/.test(xml.trimStart()) || /.<\?/s.test(xml.trimStart()))
    reject(SamlRejection.CommentOrInstruction, 'comments and processing instructions are refused');
  const document = parse(xml);
  checkStructure(document, root);
  return xml;
}

function parse(xml: string): Document {
  return parseStrictXml(xml, (problem) => reject(SamlRejection.Malformed, problem));
}

/** Any parser error (not a warning) or a missing root element goes to `invalid`. */
export function parseStrictXml(xml: string, invalid: (problem: string) => never): Document {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') errors.push(message);
    },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !document.documentElement) invalid(errors[0] ?? 'no document element');
  return document;
}

function checkStructure(document: Document, root: 'Response' | 'Assertion'): void {
  const top = document.documentElement!;
  const expectedNs = root === 'Response' ? NS.protocol : NS.assertion;
  if (top.localName !== root || top.namespaceURI !== expectedNs)
    reject(SamlRejection.Malformed, `expected a SAML ${root}`);
  checkUniqueIds(document);
  checkSingleAssertion(document, top);
  checkAlgorithms(document);
  if (root === 'Response') checkStatus(top);
}

function checkUniqueIds(document: Document): void {
  const seen = new Set<string>();
  for (const element of allElements(document)) {
    const id = element.getAttribute('ID') ?? element.getAttribute('Id') ?? element.getAttribute('id');
    if (!id) continue;
    if (seen.has(id)) reject(SamlRejection.DuplicateId, `ID ${id.slice(0, 64)} appears twice`);
    seen.add(id);
  }
}

/** Exactly one assertion, and it is the root or a direct child of the Response (not in an extension). */
function checkSingleAssertion(document: Document, top: Element): void {
  const assertions = Array.from(document.getElementsByTagNameNS(NS.assertion, 'Assertion'));
  const encrypted = document.getElementsByTagNameNS(NS.assertion, 'EncryptedAssertion').length;
  if (encrypted > 0) reject(SamlRejection.Wrapping, 'encrypted assertions are not accepted');
  if (assertions.length !== 1) reject(SamlRejection.Wrapping, `${assertions.length} assertions, expected 1`);
  const assertion = assertions[0]!;
  if (assertion !== top && assertion.parentNode !== top)
    reject(SamlRejection.Wrapping, 'the assertion is not where a response carries it');
}

function checkAlgorithms(document: Document): void {
  for (const method of Array.from(document.getElementsByTagNameNS(NS.dsig, 'SignatureMethod'))) {
    const algorithm = method.getAttribute('Algorithm') ?? '';
    if (!SIGNATURE_METHODS.has(algorithm))
      reject(SamlRejection.SignatureAlgorithm, `signature method ${algorithm.slice(0, 80)} is not accepted`);
  }
  for (const method of Array.from(document.getElementsByTagNameNS(NS.dsig, 'DigestMethod'))) {
    const algorithm = method.getAttribute('Algorithm') ?? '';
    if (!DIGEST_METHODS.has(algorithm))
      reject(SamlRejection.SignatureAlgorithm, `digest method ${algorithm.slice(0, 80)} is not accepted`);
  }
}

/** node-saml reads the assertion of a signed response whatever its status: a failure must end here. */
function checkStatus(top: Element): void {
  const status = childrenNamed(top, NS.protocol, 'Status')[0];
  const code = status && childrenNamed(status, NS.protocol, 'StatusCode')[0];
  const value = code?.getAttribute('Value');
  if (value !== SUCCESS) reject(SamlRejection.Status, `status ${value?.slice(0, 80) ?? 'missing'}`);
}

export function childrenNamed(parent: Element, ns: string, localName: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (node): node is Element =>
      node.nodeType === 1 &&
      (node as Element).localName === localName &&
      (node as Element).namespaceURI === ns,
  );
}

function allElements(document: Document): Element[] {
  return Array.from(document.getElementsByTagName('*'));
}
