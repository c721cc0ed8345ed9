import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type EmbeddedStack,
  type EnrolledHost,
  enrollHost,
  expectEventually,
  hostStatus,
  sha256File,
  stopGroup,
  type TreeManifest,
  viaRelay,
  writeHostileTree,
} from '@hostlink/testing';
import { z } from 'zod';
import { RawApi } from './raw-api.js';

const BIG_FILE_BYTES = 300 * 1024 * 1024 + 12_345;
const Listing = z.array(z.object({ path: z.string(), type: z.string(), size: z.number() }));

/** What the suite needs of a platform, embedded (one process) or distributed (one per service). */
export type Stack = Pick<EmbeddedStack, 'urls' | 'admin' | 'stop'>;

export interface HostFilesSuite {
  /** Names the platform in every test title, e.g. "embedded platform". */
  label: string;
  start: () => Promise<Stack>;
  /** How long a killed agent may still show online: the presence TTL of that platform. */
  presenceTtlMs: number;
}

/**
 * The foundation's end-to-end suite: a host enrolled with the real agent and reached with the real CLI,
 * run unchanged against every way the platform is deployed.
 */
export function describeHostFiles(suite: HostFilesSuite): void {
  describeGeneratedTree(suite);
  describeRealTree(suite);
}

function describeGeneratedTree({ label, start, presenceTtlMs }: HostFilesSuite): void {
  describe(`${label}: a host reached end to end through the relay`, () => {
    let stack: Stack;
    let host: EnrolledHost;
    let share: string;
    let manifest: TreeManifest;
    let downloads: string;
    const remote = (relative: string) => `${host.name}:/${basename(share)}/${relative}`;
    const relay = ['--via', 'relay'];

    before(async () => {
      share = await mkdtemp(join(tmpdir(), 'hostlink-share-'));
      downloads = await mkdtemp(join(tmpdir(), 'hostlink-downloads-'));
      manifest = await writeHostileTree(share, BIG_FILE_BYTES);
      stack = await start();
      host = await enrollHost(stack, 'Workstation 工作站', [share]);
    });

    after(async () => {
      await host?.agent.stop();
      await stack?.stop();
    });

    test('the host shows online with its name', async () => {
      const status = await hostStatus(host.user, host.name);
      assert.equal(status?.online, true);
    });

    test('every file is listed with its exact name, NFC and NFD kept apart', async () => {
      const listing = Listing.parse(
        JSON.parse(await host.user.ok(['ls', '-R', '--json', ...relay, remote('')], { env: viaRelay })),
      );
      const prefix = `/${basename(share)}/`;
      const files = listing
        .filter((entry) => entry.type === 'file')
        .map((entry) => entry.path.slice(prefix.length));
      assert.deepEqual(new Set(files), new Set(manifest.keys()));
      assert.ok(listing.some((entry) => entry.type === 'directory' && entry.path.endsWith('empty folder')));
    });

    test('every file downloads with the SHA-256 of its source', async (t) => {
      for (const [relative, hash] of manifest) {
        const target = join(downloads, basename(relative));
        const started = performance.now();
        await host.user.ok(['get', ...relay, remote(relative), target], { env: viaRelay });
        assert.equal(await sha256File(target), hash, relative);
        if (relative === 'big/large.bin') {
          const seconds = (performance.now() - started) / 1000;
          t.diagnostic(
            `300 MB through the relay: ${((BIG_FILE_BYTES * 8) / seconds / 1e6).toFixed(0)} Mbit/s (${seconds.toFixed(2)} s, whole CLI process)`,
          );
        }
      }
    });

    test('an upload lands atomically and reads back identical', async () => {
      const local = join(downloads, 'upload-source.bin');
      await writeFile(local, randomBytes(3 * 1024 * 1024 + 7));
      await host.user.ok(['mkdir', ...relay, remote('uploaded')], { env: viaRelay });
      await host.user.ok(['put', ...relay, local, remote('uploaded/новый файл.bin')], { env: viaRelay });
      const landed = join(share, 'uploaded', 'новый файл.bin');
      assert.equal(await sha256File(landed), await sha256File(local));
      const leftovers = (await readdir(join(share, 'uploaded'))).filter((name) => name !== 'новый файл.bin');
      assert.deepEqual(leftovers, [], 'no temporary files left beside the upload');
    });

    test('an upload does not replace an existing file unless forced', async () => {
      const local = join(downloads, 'clobber.txt');
      await writeFile(local, 'new content');
      const refused = await host.user.run(['put', ...relay, local, remote('empty.dat')], { env: viaRelay });
      assert.notEqual(refused.code, 0);
      assert.equal((await stat(join(share, 'empty.dat'))).size, 0);
    });

    test('a download interrupted mid-way resumes to the right hash', async () => {
      const target = join(downloads, 'resumed.bin');
      const child = host.user.spawn(['get', ...relay, remote('big/large.bin'), target], viaRelay);
      const part = `${target}.hostlink-part`;
      await expectEventually(async () => assert.ok((await stat(part)).size > 20 * 1024 * 1024), {
        timeoutMs: 60_000,
      });
      await stopGroup(child, 'SIGKILL');
      const partial = (await stat(part)).size;
      assert.ok(partial < BIG_FILE_BYTES, 'the download was cut before the end');
      // A torn last write must not poison the resume: the client only trusts what it verified.
      await truncate(part, partial - 1000);
      const resumed = await host.user.ok(['get', ...relay, remote('big/large.bin'), target], {
        env: viaRelay,
      });
      assert.match(resumed, /resum/i);
      assert.equal(await sha256File(target), manifest.get('big/large.bin'));
      assert.equal(existsSync(part), false);
    });

    test('a clean agent stop shows the host offline within a second', async (t) => {
      // Polled over HTTP: a CLI process per poll would itself take a good part of the second.
      const api = new RawApi(stack.urls.gateway);
      const { session } = await api.signIn(stack.admin.email, stack.admin.password);
      const signalled = performance.now();
      await host.agent.stop('SIGTERM');
      await expectEventually(
        async () =>
          assert.equal((await api.hosts(session)).find((entry) => entry.name === host.name)?.online, false),
        { timeoutMs: 1000, intervalMs: 10 },
      );
      const elapsed = performance.now() - signalled;
      t.diagnostic(`offline seen ${elapsed.toFixed(0)} ms after SIGTERM`);
      assert.ok(elapsed < 1000);
      await host.agent.start();
    });

    test('a killed agent shows offline within the presence TTL', async (t) => {
      const api = new RawApi(stack.urls.gateway);
      const { session } = await api.signIn(stack.admin.email, stack.admin.password);
      const killed = performance.now();
      await host.agent.stop('SIGKILL');
      await expectEventually(
        async () =>
          assert.equal((await api.hosts(session)).find((entry) => entry.name === host.name)?.online, false),
        { timeoutMs: presenceTtlMs, intervalMs: 50 },
      );
      t.diagnostic(`offline seen ${(performance.now() - killed).toFixed(0)} ms after SIGKILL`);
      await host.agent.start();
    });
  });
}

function describeRealTree({ label, start }: HostFilesSuite): void {
  describe(`${label}: a real tree that no one here made`, () => {
    const realTree = '/usr/share/doc';
    let stack: Stack;
    let host: EnrolledHost;

    before(async () => {
      stack = await start();
      host = await enrollHost(stack, 'docs-host', [realTree]);
    });
    after(async () => {
      await host?.agent.stop();
      await stack?.stop();
    });

    test('lists /usr/share/doc recursively and fetches a sample with matching hashes', async (t) => {
      const downloads = await mkdtemp(join(tmpdir(), 'hostlink-docs-'));
      const listing = Listing.parse(
        JSON.parse(
          await host.user.ok(['ls', '-R', '--json', '--via', 'relay', `${host.name}:/doc`], {
            env: viaRelay,
          }),
        ),
      );
      const files = listing.filter((entry) => entry.type === 'file');
      t.diagnostic(`${listing.length} entries, ${files.length} files`);
      assert.ok(files.length > 500, `expected thousands of files, got ${files.length}`);
      const sample = files.filter((_, index) => index % Math.ceil(files.length / 25) === 0);
      for (const [index, entry] of sample.entries()) {
        const target = join(downloads, `${index}`);
        await host.user.ok(['get', '--via', 'relay', `${host.name}:${entry.path}`, target], {
          env: viaRelay,
        });
        const source = join(realTree, entry.path.slice('/doc/'.length));
        assert.equal(await sha256File(target), await sha256File(source), entry.path);
      }
    });

    test('removing the host takes it off the list and stops its agent for good', async () => {
      await host.user.ok(['rm-host', '--yes', host.name]);
      assert.equal(await hostStatus(host.user, host.name), undefined);
      const agent = host.agent.running!;
      await expectEventually(() => assert.notEqual(agent.exitCode ?? agent.signalCode, null), {
        timeoutMs: 5_000,
      });
      assert.match(host.agent.logs().stderr + host.agent.logs().stdout, /removed or is unknown/);
    });
  });
}
