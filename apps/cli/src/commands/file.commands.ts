import type { FileClient, HostConnection } from '@hostlink/client-sdk';
import type { FileEntry } from '@hostlink/protocol';
import type { Command } from 'commander';
import { humanSize } from '../output/format.js';
import { joinRemote, parseRemotePath } from '../remote/remote-path.js';
import { downloadReconnecting } from '../transfer/reconnecting-download.js';
import { type Progress, createProgress } from '../transfer/progress.js';
import { upload } from '../transfer/upload.js';
import type { CliContext } from './context.js';

type ContextFactory = () => CliContext;

interface Listed {
  readonly path: string;
  readonly entry: FileEntry;
}

/** Runs `work` on a connection to HOST and always closes it. */
async function withHost<T>(
  context: CliContext,
  host: string,
  work: (connection: HostConnection) => Promise<T>,
): Promise<T> {
  const connection = await context.connect(host);
  try {
    return await work(connection);
  } finally {
    connection.close();
  }
}

export function registerFileCommands(program: Command, context: ContextFactory): void {
  program
    .command('ls')
    .description('list a folder on a host (HOST: lists its shared folders)')
    .argument('<HOST:PATH>')
    .option('-l', 'long format: type, size, modification time')
    .option('-R', 'recursive')
    .option('--json', 'machine-readable output')
    .action(async (target: string, options: { l?: boolean; R?: boolean; json?: boolean }) => {
      const { host, path } = parseRemotePath(target);
      const ctx = context();
      const listed = await withHost(ctx, host, (files) =>
        options.R ? walk(files, path) : listOne(files, path),
      );
      if (options.json)
        return ctx.out(
          JSON.stringify(
            listed.map(({ path: p, entry }) => ({ path: p, ...entry })),
            null,
            2,
          ),
        );
      for (const item of listed) ctx.out(formatEntry(item, options.l ?? false, options.R ?? false));
    });

  program
    .command('get')
    .description('download a file (resumable: rerun the same command after an interruption)')
    .argument('<HOST:PATH>')
    .argument('[LOCAL]', 'local file or folder (default: the remote name here)')
    .option('--force', 'overwrite LOCAL if it exists')
    .action(async (target: string, local: string | undefined, options: { force?: boolean }) => {
      const { host, path } = parseRemotePath(target);
      const ctx = context();
      const progress = createProgress('get');
      const request = { hostId: host, remotePath: path, local, force: options.force ?? false };
      const result = await whileInterruptible(progress, () =>
        downloadReconnecting((relays) => ctx.connect(host, relays), request, progress).finally(() =>
          progress.stop(),
        ),
      );
      const resumed = result.resumedFrom > 0 ? `, resumed from ${humanSize(result.resumedFrom)}` : '';
      ctx.out(`${result.path} (${humanSize(result.size)}${resumed})`);
    });

  program
    .command('put')
    .description('upload a file; it appears on the host atomically, complete or not at all')
    .argument('<LOCAL>')
    .argument('<HOST:PATH>')
    .option('--force', 'overwrite the remote file if it exists')
    .action(async (local: string, target: string, options: { force?: boolean }) => {
      const { host, path } = parseRemotePath(target);
      const ctx = context();
      const result = await withHost(ctx, host, (connection) =>
        upload(connection, local, path, { force: options.force ?? false }, createProgress('put')),
      );
      ctx.out(`${host}:${result.path} (${humanSize(result.size)})`);
    });

  program
    .command('mkdir')
    .description('create a folder on a host')
    .argument('<HOST:PATH>')
    .action(async (target: string) => {
      const { host, path } = parseRemotePath(target);
      await withHost(context(), host, (files) => files.mkdir(path));
    });

  program
    .command('rm')
    .description('remove a file or a folder (with its contents) on a host')
    .argument('<HOST:PATH>')
    .action(async (target: string) => {
      const { host, path } = parseRemotePath(target);
      await withHost(context(), host, (files) => files.remove(path));
    });

  program
    .command('mv')
    .description('move or rename on one host (never replaces an existing name)')
    .argument('<HOST:FROM>')
    .argument('<TO>', 'destination path on the same host')
    .action(async (from: string, to: string) => {
      const source = parseRemotePath(from);
      const destination = to.includes(':') ? parseRemotePath(to).path : to.startsWith('/') ? to : `/${to}`;
      await withHost(context(), source.host, (files) => files.move(source.path, destination));
    });
}

async function listOne(files: FileClient, path: string): Promise<Listed[]> {
  return (await files.list(path)).map((entry) => ({ path: joinRemote(path, entry.name), entry }));
}

/** Depth first, folders only (symlinks are listed, not followed, so loops cannot happen). */
async function walk(files: FileClient, path: string): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const item of await listOne(files, path)) {
    out.push(item);
    if (item.entry.type === 'directory') out.push(...(await walk(files, item.path)));
  }
  return out;
}

function formatEntry(item: Listed, long: boolean, full: boolean): string {
  const name = full ? item.path : item.entry.name + (item.entry.type === 'directory' ? '/' : '');
  if (!long) return name;
  const type = { file: '-', directory: 'd', symlink: 'l', other: '?' }[item.entry.type];
  const time = new Date(item.entry.mtimeMs).toISOString().slice(0, 16).replace('T', ' ');
  return `${type} ${String(item.entry.size).padStart(12)} ${time} ${name}`;
}

/** Ctrl-C during a download keeps what arrived; say so, rather than leaving a cut-off progress bar. */
async function whileInterruptible<T>(progress: Progress, work: () => Promise<T>): Promise<T> {
  const onInterrupt = () => {
    progress.stop();
    process.stderr.write(
      '\ninterrupted: the bytes received so far are kept; run the same command again to resume\n',
    );
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await work();
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
