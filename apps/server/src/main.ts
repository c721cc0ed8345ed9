import { Logger } from '@nestjs/common';
import { explainBootError } from './boot-errors.js';
import { resolveSettings, startServer } from './boot.js';
import type { ServerSettings } from './server.config.js';

/** `npm start`: the only place that reads process.env. */
async function main(): Promise<void> {
  let settings: ServerSettings | undefined;
  try {
    settings = await resolveSettings(process.env);
    const server = await startServer(settings, process.stdout);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      new Logger('Server').log(`stopping on ${signal}`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`\n${explainBootError(error, settings?.ports)}\n`);
    process.exit(1);
  }
}

void main();
