import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { confirm } from './confirm.js';

const terminal = (typed: string) => {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  input.end(typed);
  return { input, output, shown: () => shown };
};

describe('confirm', () => {
  it('asks with a [y/N] default and takes only y or yes', async () => {
    const yes = terminal('y\n');
    assert.equal(await confirm('remove host nas (id)?', yes.input, yes.output), true);
    assert.equal(yes.shown(), 'remove host nas (id)? [y/N] ');
    assert.equal(await confirm('q?', terminal(' YES \n').input, new PassThrough()), true);
    for (const answer of ['\n', 'n\n', 'yess\n', 'sure\n']) {
      assert.equal(await confirm('q?', terminal(answer).input, new PassThrough()), false, answer);
    }
  });

  it('refuses without a terminal instead of waiting on a pipe', async () => {
    const piped = Object.assign(new PassThrough(), { isTTY: false });
    await assert.rejects(
      confirm('q?', piped, new PassThrough()),
      (error: unknown) =>
        error instanceof HostlinkError && error.code === ErrorCode.BadRequest && /--yes/.test(error.message),
    );
  });
});
