import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { bytesToBase64Url, HostConnection } from '@hostlink/client-sdk';
import { createNodeCryptoBackend } from '@hostlink/client-sdk/node';
import { defaultPolicy, ErrorCode, HostlinkError } from '@hostlink/protocol';
import type { AgentConfig } from '../config/agent-config.js';
import { generateStaticKey } from '../config/static-key.js';
import { bytes, collect, createTree, type TreeFixture } from '../files/files.fixture.js';
import { createGrantSigner, type GrantSigner } from '../login/grant.fixture.js';
import { hashHostPassword } from '../login/host-password.js';
import { Logger } from '../log/logger.js';
import { connectInMemory, type InMemoryConnectOptions } from './host-connection.fixture.js';
import { HostService } from './host-service.js';

const code = (expected: string) => (error: unknown) =>
  error instanceof HostlinkError && error.code === expected;

/** The SDK's HostConnection against the agent's HostService over an in-memory link: the real channel protocol. */
describe('agent host service with the client SDK', () => {
  let tree: TreeFixture;
  let signer: GrantSigner;
  let config: AgentConfig;
  let host: HostService;
  const backend = createNodeCryptoBackend();

  before(async () => {
    tree = await createTree();
    signer = await createGrantSigner();
    config = {
      version: 1,
      hostId: randomUUID(),
      hostName: 'test host',
      serverUrl: 'http://localhost',
      pollUrl: 'ws://localhost/agent',
      staticKey: generateStaticKey(),
      shares: [{ name: 'share', path: tree.share }],
      hostPasswordHash: await hashHostPassword('pw'),
      brokerKeys: signer.jwks,
    };
    host = new HostService(config, new Logger({}, () => undefined));
  });
  after(() => tree.cleanup());

  const connect = (options: InMemoryConnectOptions = {}): Promise<HostConnection> =>
    connectInMemory(host, config, signer, options);

  it('logs in, lists, reads with ranges and etags, writes atomically', async () => {
    const connection = await connect();
    try {
      assert.equal(connection.hostName, 'test host');
      assert.equal(connection.route, 'relay');
      assert.deepEqual(
        (await connection.list('/')).map((e) => e.name),
        ['share'],
      );
      const read = await connection.read('/share/docs/hello.txt');
      assert.equal(await collect(read.body), 'hello world');
      const again = await connection.read('/share/docs/hello.txt', { ifNoneMatch: read.etag });
      assert.equal(again.notModified, true);
      const range = await connection.read('/share/docs/hello.txt', { offset: 6, ifMatch: read.etag });
      assert.equal(await collect(range.body), 'world');
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      const source = () =>
        Readable.from(
          Array.from({ length: Math.ceil(big.length / 100_000) }, (_, i) =>
            big.subarray(i * 100_000, (i + 1) * 100_000),
          ),
        );
      await connection.write('/share/big.bin', big.length, source());
      assert.ok((await readFile(join(tree.share, 'big.bin'))).equals(big));
      await assert.rejects(connection.write('/share/big.bin', 1, source()), code(ErrorCode.Conflict));
      assert.ok(connection.bytesSent >= big.length);
    } finally {
      connection.close();
    }
  });

  it('refuses hostile paths over the channel with clear errors', async () => {
    const connection = await connect();
    try {
      await assert.rejects(connection.read('/share/../outside/secret.txt'), code(ErrorCode.BadRequest));
      await assert.rejects(connection.read('/share/escape-file'), code(ErrorCode.Forbidden));
      await assert.rejects(connection.list('/share/escape-dir'), code(ErrorCode.Forbidden));
      await assert.rejects(connection.stat('/share/nul\u0000'), code(ErrorCode.BadRequest));
    } finally {
      connection.close();
    }
  });

  it('refuses a wrong host password and a grant for another client key', async () => {
    await assert.rejects(connect({ password: 'nope' }), code(ErrorCode.InvalidCredentials));
    const other = bytesToBase64Url((await backend.generateKeyPair()).publicKey);
    await assert.rejects(connect({ cpkOverride: other }), code(ErrorCode.TokenInvalid));
  });

  it('enforces the policy in the grant', async () => {
    const connection = await connect({ policy: { ...defaultPolicy, download: false, upload: false } });
    try {
      await assert.rejects(connection.read('/share/docs/hello.txt'), code(ErrorCode.PolicyDenied));
      await assert.rejects(
        connection.write('/share/denied.txt', 1, bytes('x')),
        code(ErrorCode.PolicyDenied),
      );
      await assert.rejects(connection.mkdir('/share/denied'), code(ErrorCode.PolicyDenied));
      assert.ok(!(await readdir(tree.share)).includes('denied.txt'));
      assert.ok((await connection.list('/share')).length > 0);
    } finally {
      connection.close();
    }
  });
});
