import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An RSA key and a self-signed certificate, made by openssl for one test run. */
export interface SelfSignedCertificate {
  privateKeyPem: string;
  certPem: string;
  /** base64 DER, as SAML metadata and KeyInfo carry it */
  certBody: string;
}

export function selfSignedCertificate(commonName: string): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-cert-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const subject = `/CN=${commonName}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        subject,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const certPem = readFileSync(cert, 'utf8');
    return {
      privateKeyPem: readFileSync(key, 'utf8'),
      certPem,
      certBody: certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
