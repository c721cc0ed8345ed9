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

  describe('rm-host', () => {
    const nas = { id: '8f14e45f-ceea-4e7b-9f5b-7c8b5d4f2a10', name: 'nas' };
    /** A signed-in context whose terminal answers `answer` (or has no terminal when undefined). */
    function run(args: string[], answer?: boolean) {
      const removed: string[] = [];
      const lines: string[] = [];
      const questions: string[] = [];
      const api = {
        listHosts: () => Promise.resolve({ hosts: [{ ...nas, online: true }] }),
        removeHost: (_token: string, id: string) => {
          removed.push(id);
          return Promise.resolve();
        },
      };
      const context = {
        sessions: { session: () => Promise.resolve({ api, token: 't' }) },
        out: (line: string) => lines.push(line),
        confirm: (question: string) => {
          questions.push(question);
          return answer === undefined ? Promise.reject(new Error('no terminal')) : Promise.resolve(answer);
        },
      } as unknown as CliContext;
      const program = buildProgram(
        {},
        { context: () => context, output: { writeErr: () => undefined, writeOut: () => undefined } },
      );
      return {
        done: program.parseAsync(['node', 'hostlink', 'rm-host', ...args]),
        removed,
        lines,
        questions,
      };
    }

    it('asks with the name and id, and removes on yes', async () => {
      const asked = run(['nas'], true);
      await asked.done;
      assert.deepEqual(asked.questions, [`remove host nas (${nas.id})?`]);
      assert.deepEqual([asked.removed, asked.lines], [[nas.id], ['removed nas']]);
    });

    it('removes nothing on no', async () => {
      const declined = run([nas.id], false);
      await declined.done;
      assert.deepEqual([declined.removed, declined.lines], [[], ['nothing removed']]);
    });

    it('--yes does not ask; without it and without a terminal nothing is removed', async () => {
      const scripted = run([nas.id, '--yes']);
      await scripted.done;
      assert.deepEqual(
        [scripted.questions, scripted.removed, scripted.lines],
        [[], [nas.id], ['removed nas']],
      );
      const piped = run(['nas']);
      await assert.rejects(piped.done, /no terminal/);
      assert.deepEqual(piped.removed, []);
    });

    it('an unknown host is not_found before anything is asked', async () => {
      const unknown = run(['printer', '--yes']);
      await assert.rejects(unknown.done, /no host named "printer"/);
      assert.deepEqual([unknown.questions, unknown.removed], [[], []]);
    });
  });
});
