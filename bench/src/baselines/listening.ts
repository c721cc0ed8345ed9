import { connect } from 'node:net';

/**
 * Resolves once something accepts connections on loopback `port`; throws, with what the process printed
 * and how to install it, if it exits first or takes more than five seconds.
 */
export async function untilListening(
  port: number,
  process: { name: string; exited: () => boolean; output: () => string },
): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await accepts(port))) {
    if (process.exited() || Date.now() > deadline)
      throw new Error(
        `${process.name} did not start (is it installed? run bench/setup.sh): ${process.output()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
