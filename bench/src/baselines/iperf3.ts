import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { freePort } from '@hostlink/testing';

const run = promisify(execFile);

/** An iperf3 server for one test at a time; `close` stops it. */
export async function iperf3Server(): Promise<{ port: number; close: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  child.on('error', () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (child.exitCode !== null) throw new Error('iperf3 did not start: install it with bench/setup.sh');
  return {
    port,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Sends `bytes` to `port` (an iperf3 server, or a forwarder in front of one); bits per second received. */
export async function iperf3Client(port: number, bytes: number): Promise<number> {
  const { stdout } = await run('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-n', String(bytes), '-J'], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  const report = JSON.parse(stdout) as {
    end?: { sum_received?: { bits_per_second?: number } };
    error?: string;
  };
  const bps = report.end?.sum_received?.bits_per_second;
  if (!bps) throw new Error(`iperf3 gave no figure: ${report.error ?? stdout.slice(0, 200)}`);
  return bps;
}
