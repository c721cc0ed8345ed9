import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@hostlink/testing';
import { untilListening } from './listening.js';

/** A userspace TCP relay from one loopback port to another: the baselines the Hostlink relay is set against. */
export interface Forwarder {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  close(): Promise<void>;
}

/** haproxy in TCP mode, as installed; `splice` forces kernel splicing both ways. */
export async function haproxy(target: number, dir: string, splice: boolean): Promise<Forwarder> {
  const port = await freePort();
  const config = join(dir, `haproxy-${splice ? 'splice' : 'default'}.cfg`);
  const tuning = splice ? ['  option splice-request', '  option splice-response'] : [];
  await writeFile(
    config,
    [
      'global',
      '  maxconn 1000',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      ...tuning,
      `listen bench`,
      `  bind 127.0.0.1:${port}`,
      `  server sink 127.0.0.1:${target}`,
      '',
    ].join('\n'),
  );
  return started(`haproxy${splice ? ' (splice)' : ''}`, port, spawn('haproxy', ['-db', '-f', config]));
}

export async function socat(target: number): Promise<Forwarder> {
  const port = await freePort();
  const child = spawn('socat', [
    `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
    `TCP:127.0.0.1:${target}`,
  ]);
  return started('socat', port, child);
}

/** The simplest Node relay: `socket.pipe` both ways, in this process. */
export async function nodePipe(target: number): Promise<Forwarder> {
  const server: Server = createServer((client) => {
    const upstream = connect({ port: target, host: '127.0.0.1', noDelay: true });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('node pipe has no port');
  return {
    name: 'node net pipe',
    port: address.port,
    pid: process.pid,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function started(name: string, port: number, child: ChildProcess): Promise<Forwarder> {
  child.on('error', () => undefined);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await untilListening(port, { name, exited: () => child.exitCode !== null, output: () => output });
  return {
    name,
    port,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
