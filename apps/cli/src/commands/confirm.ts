import { createInterface } from 'node:readline/promises';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';

/**
 * Asks a yes/no question on the terminal; anything but y/yes is no. Without a terminal it refuses rather
 * than hang on a pipe or take silence for consent: scripts say `--yes`.
 */
export async function confirm(
  question: string,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<boolean> {
  if (!input.isTTY) {
    throw new HostlinkError(ErrorCode.BadRequest, 'no terminal to confirm on: pass --yes to go ahead');
  }
  const lines = createInterface({ input, output });
  try {
    return /^y(es)?$/i.test((await lines.question(`${question} [y/N] `)).trim());
  } finally {
    lines.close();
  }
}
