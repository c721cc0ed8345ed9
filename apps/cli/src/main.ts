#!/usr/bin/env node
import { errorLine, isCommanderExit } from './commands/error-message.js';
import { buildProgram } from './program.js';

/** Every failure is one line on stderr and a non-zero exit; stray sockets never keep the process alive. */
async function main(): Promise<number> {
  const program = buildProgram(process.env);
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    if (isCommanderExit(error)) return error.exitCode;
    process.stderr.write(`hostlink: ${errorLine(error)}\n`);
    return 1;
  }
}

// `hostlink ls | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** Pipes are asynchronous: exiting before they drain would cut a long `ls --json` short. */
const drained = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));

const code = await main();
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
