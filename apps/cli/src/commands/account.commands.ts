import { promptSecret, readStdinText } from '@hostlink/client-sdk/node';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import type { Command } from 'commander';
import { relativeTime, table } from '../output/format.js';
import { findHost } from '../remote/remote-path.js';
import type { CliContext } from './context.js';
import { loginWithSso } from './sso.commands.js';

interface LoginOptions {
  server: string;
  email?: string;
  passwordStdin?: boolean;
  sso?: boolean;
  account?: string;
  browser: boolean;
}

type ContextFactory = () => CliContext;

export function registerAccountCommands(program: Command, context: ContextFactory): void {
  program
    .command('login')
    .description('sign in to a Hostlink platform')
    .requiredOption('--server <url>', 'platform URL, e.g. http://localhost:8080')
    .option('--email <email>', 'your account email (password sign-in)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--sso', "sign in through your organisation's identity provider, in the browser")
    .option('--account <id>', 'with --sso: your account id')
    .option('--no-browser', 'with --sso: only print the URL to open')
    .action(async (options: LoginOptions) => {
      if (options.sso) return loginWithSso(context(), options);
      if (!options.email) throw new HostlinkError(ErrorCode.BadRequest, 'login needs --email (or --sso)');
      const password = options.passwordStdin
        ? await readStdinText()
        : await promptSecret(`Password for ${options.email}: `);
      const { user } = await context().sessions.signIn(options.server, options.email, password);
      context().out(`signed in as ${user.email} (${user.role}) at ${options.server}`);
    });

  program
    .command('logout')
    .description('forget the sign-in on this computer (the device key stays)')
    .action(async () => {
      const { wasSignedIn, revoked } = await context().sessions.signOut();
      if (!wasSignedIn) return context().out('was not signed in');
      context().out(
        revoked
          ? 'signed out (the sign-in is revoked on the server)'
          : 'signed out here; the server could not be reached, so the sign-in stays valid there until it expires',
      );
    });

  program
    .command('whoami')
    .description('show who is signed in, and where')
    .action(async () => {
      const { account } = await context().sessions.session();
      context().out(
        `${account.user?.email ?? account.email} (${account.user?.role ?? 'member'}) at ${account.serverUrl}`,
      );
    });

  program
    .command('enroll-token')
    .description('create a one-hour, single-use token to enroll a host')
    .action(async () => {
      const { api, token, account } = await context().sessions.session();
      const enrollment = await api.createEnrollmentToken(token);
      const out = context().out;
      out(`enrollment token: ${enrollment.token}`);
      out(`expires at ${enrollment.expiresAt} (single use)`);
      out('on the computer to share, run:');
      out(
        `  npx hostlink-agent enroll --server ${account.serverUrl} --token ${enrollment.token} --name NAME --share DIR`,
      );
    });

  program
    .command('hosts')
    .description('list your hosts with online status and last seen')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { api, token } = await context().sessions.session();
      const { hosts } = await api.listHosts(token);
      if (options.json) return context().out(JSON.stringify(hosts, null, 2));
      if (hosts.length === 0)
        return context().out('no hosts yet: create a token with `hostlink enroll-token`');
      const rows = hosts.map((host) => [
        host.name,
        host.id,
        host.online ? 'online' : `offline${host.offlineReason ? ` (${host.offlineReason})` : ''}`,
        host.online ? 'now' : relativeTime(host.lastSeenAt),
      ]);
      context().out(table(['NAME', 'ID', 'STATUS', 'LAST SEEN'], rows));
    });

  program
    .command('rm-host')
    .description('remove a host: it is no longer reachable and its agent must be enrolled again')
    .argument('<HOST>', 'host name or id')
    .option('-y, --yes', 'do not ask (needed when standard input is not a terminal)')
    .action(async (wanted: string, options: { yes?: boolean }) => {
      const { api, token } = await context().sessions.session();
      const host = findHost((await api.listHosts(token)).hosts, wanted);
      if (!options.yes && !(await context().confirm(`remove host ${host.name} (${host.id})?`))) {
        return context().out('nothing removed');
      }
      await api.removeHost(token, host.id);
      context().out(`removed ${host.name}`);
    });
}
