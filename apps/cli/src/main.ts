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

process.exit(await main());
