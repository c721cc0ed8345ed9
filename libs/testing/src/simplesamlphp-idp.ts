import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { selfSignedCertificate } from './self-signed-cert.js';
import { collect, stopGroup } from './processes.js';

const WWW = '/usr/share/simplesamlphp/www';
const INSTALL = 'apt-get install -y simplesamlphp php-cli php-xml (as .ci/run does)';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

export interface SamlIdpUser {
  username: string;
  password: string;
  email: string;
}

export interface SimpleSamlIdp {
  baseUrl: string;
  /** Also the IdP's entity id. */
  metadataUrl: string;
  user: SamlIdpUser;
  output: () => { stdout: string; stderr: string };
  stop: () => Promise<void>;
}

export interface SimpleSamlIdpOptions {
  /** The one SP this IdP serves: its entity id and HTTP-POST ACS. */
  sp: { entityId: string; acsUrl: string };
  user?: SamlIdpUser;
}

/** Fails loudly, saying how to install it, when SimpleSAMLphp or PHP's DOM extension is missing. */
export function assertSimpleSamlPhpInstalled(): void {
  if (!existsSync(WWW)) throw new Error(`SimpleSAMLphp is not installed (${WWW} missing): ${INSTALL}`);
  let modules = '';
  try {
    modules = execFileSync('php', ['-m'], { encoding: 'utf8' });
  } catch {
    throw new Error(`php is not installed: ${INSTALL}`);
  }
  if (!/^dom$/m.test(modules)) throw new Error(`PHP has no DOM extension: ${INSTALL}`);
}

/**
 * A real SAML IdP (Debian's SimpleSAMLphp) under PHP's built-in server on a free loopback port, with a
 * private config folder (never /etc/simplesamlphp), a fresh signing key and one test user. Response
 * and assertion are both signed with rsa-sha256; the NameID is the user's email.
 */
export async function startSimpleSamlIdp(options: SimpleSamlIdpOptions): Promise<SimpleSamlIdp> {
  assertSimpleSamlPhpInstalled();
  const user = options.user ?? { username: 'alice', password: 'alice-password', email: 'alice@example.test' };
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'hostlink-idp-'));
  await writeIdpFiles(dir, baseUrl, options.sp, user);
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', WWW], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config'), PHP_CLI_SERVER_WORKERS: '2' },
  });
  const output = collect(child);
  const metadataUrl = `${baseUrl}/saml2/idp/metadata.php`;
  await waitForMetadata(metadataUrl, output);
  return {
    baseUrl,
    metadataUrl,
    user,
    output,
    stop: async () => {
      await stopGroup(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForMetadata(url: string, output: () => { stdout: string; stderr: string }): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await fetch(url).catch(() => undefined);
    if (answer?.ok && (await answer.text()).includes('IDPSSODescriptor')) return;
    if (Date.now() > deadline)
      throw new Error(`SimpleSAMLphp did not serve ${url}\n${JSON.stringify(output(), null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const php = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

async function writeIdpFiles(
  dir: string,
  baseUrl: string,
  sp: { entityId: string; acsUrl: string },
  user: SamlIdpUser,
): Promise<void> {
  for (const sub of ['config', 'metadata', 'cert', 'data', 'tmp', 'log', 'sessions'])
    await mkdir(join(dir, sub), { recursive: true });
  const { privateKeyPem, certPem } = selfSignedCertificate('hostlink-test-idp');
  await writeFile(join(dir, 'cert', 'idp.key'), privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'cert', 'idp.crt'), certPem);
  const at = (sub: string) => php(`${join(dir, sub)}/`);
  await writeFile(
    join(dir, 'config', 'config.php'),
    `<?php
$config = [
  'baseurlpath' => ${php(`${baseUrl}/`)},
  'certdir' => ${at('cert')}, 'metadatadir' => ${at('metadata')}, 'datadir' => ${at('data')},
  'tempdir' => ${at('tmp')}, 'loggingdir' => ${at('log')},
  'secretsalt' => ${php(randomBytes(16).toString('hex'))},
  'auth.adminpassword' => ${php(randomBytes(16).toString('hex'))},
  'technicalcontact_name' => 'Hostlink tests', 'technicalcontact_email' => 'tests@example.test',
  'timezone' => 'UTC',
  'logging.level' => SimpleSAML\\Logger::WARNING, 'logging.handler' => 'errorlog',
  'enable.saml20-idp' => true,
  'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
  'session.cookie.secure' => false,
  'session.phpsession.savepath' => ${at('sessions')},
  'store.type' => 'phpsession',
  'metadata.sources' => [['type' => 'flatfile']],
];
`,
  );
  await writeFile(
    join(dir, 'config', 'authsources.php'),
    `<?php
$config = [
  'admin' => ['core:AdminPassword'],
  'test-users' => ['exampleauth:UserPass',
    ${php(`${user.username}:${user.password}`)} => ['uid' => [${php(user.username)}], 'email' => [${php(user.email)}]]],
];
`,
  );
  await writeFile(
    join(dir, 'metadata', 'saml20-idp-hosted.php'),
    `<?php
$metadata['__DYNAMIC:1__'] = [
  'host' => '__DEFAULT__', 'privatekey' => 'idp.key', 'certificate' => 'idp.crt', 'auth' => 'test-users',
  'NameIDFormat' => ${php(EMAIL_FORMAT)}, 'simplesaml.nameidattribute' => 'email',
  'signature.algorithm' => ${php(RSA_SHA256)},
];
`,
  );
  await writeFile(
    join(dir, 'metadata', 'saml20-sp-remote.php'),
    `<?php
$metadata[${php(sp.entityId)}] = [
  'AssertionConsumerService' => [['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => ${php(sp.acsUrl)}]],
  'NameIDFormat' => ${php(EMAIL_FORMAT)}, 'simplesaml.nameidattribute' => 'email',
  'saml20.sign.response' => true, 'saml20.sign.assertion' => true,
  'signature.algorithm' => ${php(RSA_SHA256)},
];
`,
  );
}
