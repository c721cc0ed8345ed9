import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@hostlink/testing';
import { untilListening } from './listening.js';

const run = promisify(execFile);
/** What a person would pick for speed on a modern machine; the bench's scp figures use it. */
export const SSH_CIPHER = 'aes128-gcm@openssh.com';

/**
 * A private OpenSSH server on a free loopback port (its own host key, config and authorized key, in
 * `dir`), and the client commands a person would run against their own machine: `scp` and `ssh host true`.
 */
export class LoopbackSsh {
  private constructor(
    private readonly port: number,
    private readonly clientKey: string,
    private readonly stopServer: () => Promise<void>,
  ) {}

  static async start(dir: string): Promise<LoopbackSsh> {
    const [hostKey, clientKey] = [join(dir, 'host_ed25519'), join(dir, 'client_ed25519')];
    for (const key of [hostKey, clientKey])
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    await run('cp', [`${clientKey}.pub`, join(dir, 'authorized_keys')]);
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    await writeFile(config, sshdConfig(port, hostKey, dir));
    const server = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.on('error', () => undefined);
    await untilListening(port, {
      name: 'sshd',
      exited: () => server.exitCode !== null,
      output: () => output,
    });
    const stop = async () => {
      if (server.exitCode !== null) return;
      server.kill('SIGTERM');
      await once(server, 'exit');
    };
    return new LoopbackSsh(port, clientKey, stop);
  }

  /** Seconds for `scp` to fetch `remotePath` into `localPath`. */
  async scp(remotePath: string, localPath: string): Promise<number> {
    const started = performance.now();
    await run(
      'scp',
      ['-q', '-P', String(this.port), ...this.clientOptions(), `root@127.0.0.1:${remotePath}`, localPath],
      {
        timeout: 600_000,
      },
    );
    return (performance.now() - started) / 1000;
  }

  /** Milliseconds for `ssh host true`: connection, key exchange, authentication, a command, exit. */
  async sshTrue(): Promise<number> {
    const started = performance.now();
    await run('ssh', ['-p', String(this.port), ...this.clientOptions(), 'root@127.0.0.1', 'true']);
    return performance.now() - started;
  }

  stop(): Promise<void> {
    return this.stopServer();
  }

  private clientOptions(): string[] {
    return [
      '-i',
      this.clientKey,
      '-c',
      SSH_CIPHER,
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'LogLevel=ERROR',
    ];
  }
}

function sshdConfig(port: number, hostKey: string, dir: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The key files live in a temporary folder, not in a home folder with the modes sshd insists on.
    'StrictModes no',
    `Ciphers ${SSH_CIPHER}`,
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
