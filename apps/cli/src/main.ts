#!/usr/bin/env -S node --initial-old-space-size=64
// --initial-old-space-size: with its small heap, this process otherwise meets a V8 heuristic that starts
// a full mark-compact whenever the old generation's headroom is no larger than the young generation,
// and after each collection the headroom is that again: moving a file (one fresh 64 KiB buffer per
// encrypted frame, which keeps the young generation at its maximum) ran a mark-compact every ~25 MB.
// A 64 MB floor for the old generation's limit took 1 GiB from 189 mark-compacts to none and cut this
// process's CPU per GB by a quarter to two fifths (bench/README.md, "V8 heap flags").
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
