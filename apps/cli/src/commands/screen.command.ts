import { InvalidArgumentError, type Command } from 'commander';
import { exposeScreen } from '../screen/vnc-port.js';
import type { CliContext } from './context.js';

/** `hostlink screen HOST [--port P]`: the host's screen as a local VNC port, until Ctrl-C. */
export function registerScreenCommand(program: Command, context: () => CliContext): void {
  program
    .command('screen')
    .description("expose a host's screen as a local VNC port (127.0.0.1) for any VNC viewer; Ctrl-C stops")
    .argument('<HOST>')
    .option('--port <port>', 'local port (0: any free one)', parsePort, 5900)
    .action(async (host: string, options: { port: number }) => {
      const ctx = context();
      const connection = await ctx.connect(host);
      const vnc = await exposeScreen(connection, options.port, (message) =>
        process.stderr.write(`hostlink: ${message}\n`),
      );
      ctx.out(
        `screen of ${connection.hostName} at vnc://127.0.0.1:${vnc.port} (127.0.0.1::${vnc.port}); Ctrl-C stops`,
      );
      await new Promise<void>((resolve, reject) => {
        connection.onClose((error) => reject(error ?? new Error('the connection to the host closed')));
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }).finally(async () => {
        await vnc.close();
        connection.close();
      });
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port 0-65535');
  return port;
}
