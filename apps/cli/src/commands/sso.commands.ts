import { readFile } from 'node:fs/promises';
import { ApiClient } from '@hostlink/client-sdk';
import { ErrorCode, HostlinkError, MAX_SAML_METADATA_BYTES } from '@hostlink/protocol';
import type { Command } from 'commander';
import { openInBrowser, ssoSignIn } from '../sso/loopback-sign-in.js';
import type { CliContext } from './context.js';

type ContextFactory = () => CliContext;

/** `hostlink login --sso`: the browser flow, answered on a loopback port. */
export async function loginWithSso(
  context: CliContext,
  options: { server: string; account?: string; browser: boolean },
): Promise<void> {
  if (!options.account)
    throw new HostlinkError(ErrorCode.BadRequest, '--sso needs --account ID (ask your administrator)');
  const api = new ApiClient(options.server);
  const tokens = await ssoSignIn({
    api,
    accountId: options.account,
    show: (url) => {
      context.out(`sign in with your organisation in the browser: ${url}`);
      if (options.browser) openInBrowser(url);
    },
  });
  const { user } = await context.sessions.keep(api, tokens);
  context.out(`signed in as ${user.email} (${user.role}) at ${options.server}`);
}

export function registerSsoCommands(program: Command, context: ContextFactory): void {
  const admin = program.command('admin').description('account administration (admins only)');
  const sso = admin.command('sso').description("the account's SAML single sign-on");
  sso
    .command('import-metadata')
    .description("set the account's identity provider from its SAML metadata XML file")
    .argument('<FILE>', 'the IdP metadata (entity id, SSO URL, signing certificates)')
    .option('--jit', 'create a member on first sign-in when the IdP names an unknown user')
    .action(async (file: string, options: { jit?: boolean }) => {
      const metadataXml = await readFile(file, 'utf8');
      if (Buffer.byteLength(metadataXml) > MAX_SAML_METADATA_BYTES)
        throw new HostlinkError(
          ErrorCode.BadRequest,
          `${file} is larger than ${MAX_SAML_METADATA_BYTES} bytes`,
        );
      const { api, accessToken } = await context().sessions.accessToken();
      const idp = await api.importSsoMetadata(accessToken, metadataXml, options.jit ?? false);
      const out = context().out;
      out(`identity provider ${idp.entityId} (${idp.signingCertificates} signing certificate(s))`);
      out(`give the IdP our SP: entity id ${idp.spEntityId}, ACS ${idp.acsUrl} (HTTP-POST)`);
      out(`members sign in with: hostlink login --sso --server ${api.baseUrl} --account ${idp.accountId}`);
    });
}
