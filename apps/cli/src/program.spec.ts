import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import type { CliContext } from './commands/context.js';
import { buildProgram } from './program.js';

/** Parses without running anything real: the context records what commands asked for. */
function parse(): { program: Command; connected: string[] } {
  const connected: string[] = [];
  const context = {
    connect: (host: string) => {
      connected.push(host);
      return Promise.reject(new Error('not in tests'));
    },
  } as unknown as CliContext;
  const program = buildProgram(
    {},
    { context: () => context, output: { writeErr: () => undefined, writeOut: () => undefined } },
  );
  return { program, connected };
}

describe('hostlink argument parsing', () => {
  it('parses global options', async () => {
    const { program, connected } = parse();
    await assert.rejects(
      program.parseAsync(['node', 'hostlink', '--via', 'relay', '--config-dir', '/tmp/x', 'ls', 'nas:/docs']),
      /not in tests/,
    );
    assert.deepEqual(program.opts(), { via: 'relay', configDir: '/tmp/x' });
    assert.deepEqual(connected, ['nas']);
  });

  it('rejects an unknown --via and a missing HOST:PATH', async () => {
    await assert.rejects(
      parse().program.parseAsync(['node', 'hostlink', '--via', 'carrier-pigeon', 'hosts']),
    );
    await assert.rejects(parse().program.parseAsync(['node', 'hostlink', 'get']));
    await assert.rejects(
      parse().program.parseAsync(['node', 'hostlink', 'ls', 'no-colon']),
      /expected HOST:PATH/,
    );
  });

  it('requires --server and --email for login', async () => {
    await assert.rejects(
      parse().program.parseAsync(['node', 'hostlink', 'login', '--email', 'a@b.c']),
      /--server/,
    );
  });
});
