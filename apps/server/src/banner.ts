import type { BootstrapAdminResponse } from '@hostlink/protocol';
import type { ServerSettings } from './server.config.js';

/** One line for programs (tests, scripts) to find where the server listens. */
export function readyLine(settings: ServerSettings): string {
  return `HOSTLINK_READY ${JSON.stringify({ ...settings.urls, dataDir: settings.dataDir })}\n`;
}

/** What a person needs after `npm start`: where it listens, how to sign in, what to do next. */
export function banner(settings: ServerSettings, admin: BootstrapAdminResponse): string {
  const { gateway, poll, relay } = settings.urls;
  const password = admin.generatedPassword
    ? [
        `  Password:  ${admin.generatedPassword}`,
        '             (generated now and shown only this once: save it, then change it)',
      ]
    : [
        admin.created
          ? '  Password:  the one in HOSTLINK_ADMIN_PASSWORD'
          : '  Password:  unchanged (set on the first run)',
      ];
  return [
    '',
    'Hostlink is running (embedded mode).',
    '',
    `  Gateway:   ${gateway}`,
    `  Poll:      ${poll}`,
    `  Relay:     ${relay}`,
    `  Data:      ${settings.dataDir}`,
    '',
    `  Admin:     ${admin.email}${admin.created ? ' (created now)' : ''}`,
    ...password,
    '',
    'Next steps:',
    `  1. Sign in:          npx hostlink login --server ${gateway} --email ${admin.email}`,
    '  2. Get a token:      npx hostlink enroll-token',
    `  3. On the host:      npx hostlink-agent enroll --server ${gateway} --token <token> --name <name> --share <folder>`,
    '                       npx hostlink-agent run',
    '  4. Use it:           npx hostlink hosts; npx hostlink ls <host>:/',
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n');
}
