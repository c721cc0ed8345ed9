import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import type { AgentConfig } from '../config/agent-config.js';
import { generateStaticKey } from '../config/static-key.js';
import { createTree, type TreeFixture } from '../files/files.fixture.js';
import { createGrantSigner, type GrantSigner } from '../login/grant.fixture.js';
import { hashHostPassword } from '../login/host-password.js';
import { Logger } from '../log/logger.js';
import { connectInMemory } from '../session/host-connection.fixture.js';
import { HostService } from '../session/host-service.js';

/** A stand-in VNC server: answers every connection with a banner and echoes what it gets, upper-cased. */
async function fakeVnc(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.write('RFB 003.008\n');
    socket.on('data', (chunk) => socket.write(chunk.toString('latin1').toUpperCase()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('agent desktop: screen bridge and apps', () => {
  let tree: TreeFixture;
  let signer: GrantSigner;
  let vnc: { server: Server; port: number };

  before(async () => {
    tree = await createTree();
    signer = await createGrantSigner();
    vnc = await fakeVnc();
  });
  after(async () => {
    vnc.server.close();
    await tree.cleanup();
  });

  async function connect(desktop: AgentConfig['desktop'], apps: AgentConfig['apps'] = []) {
    const config: AgentConfig = {
      version: 1,
      hostId: randomUUID(),
      hostName: 'desk',
      serverUrl: 'http://localhost',
      pollUrl: 'ws://localhost/agent',
      staticKey: generateStaticKey(),
      shares: [{ name: 'share', path: tree.share }],
      hostPasswordHash: await hashHostPassword('pw'),
      brokerKeys: signer.jwks,
      desktop,
      apps,
    };
    const host = new HostService(config, new Logger({}, () => undefined), { PATH: process.env.PATH });
    return connectInMemory(host, config, signer);
  }

  it('bridges a stream to the VNC server byte for byte, both ways', async () => {
    const connection = await connect({ vnc: `127.0.0.1:${vnc.port}` });
    const stream = await connection.desktop.openScreen();
    let received = '';
    const reader = (async () => {
      for await (const chunk of stream) {
        received += Buffer.from(chunk).toString('latin1');
        if (received.includes('HELLO')) return;
      }
    })();
    await stream.write(new TextEncoder().encode('hello'));
    await reader;
    assert.equal(received, 'RFB 003.008\nHELLO');
    stream.reset('done');
    connection.close();
  });

  it('says so when the host shares no screen or its VNC server is down', async () => {
    const none = await connect(undefined);
    await assert.rejects(
      none.desktop.openScreen(),
      (error) => error instanceof HostlinkError && error.code === ErrorCode.NotFound,
    );
    none.close();
    const down = await connect({ vnc: '127.0.0.1:1' });
    await assert.rejects(
      down.desktop.openScreen(),
      (error) => error instanceof HostlinkError && error.code === ErrorCode.Unavailable,
    );
    down.close();
  });

  it('lists configured apps without their commands and launches one with a shared file', async () => {
    const marker = join(tmpdir(), `hostlink-launched-${randomUUID()}`);
    await writeFile(join(tree.share, 'note.txt'), 'x');
    const script = `printf '%s' "$1" > ${marker}`;
    const connection = await connect(undefined, [
      { id: 'writer', name: 'Writer <b>', icon: '✍', command: ['sh', '-c', script, 'sh'] },
    ]);
    assert.deepEqual(await connection.desktop.apps(), [{ id: 'writer', name: 'Writer <b>', icon: '✍' }]);
    const { pid } = await connection.desktop.launch('writer', '/share/note.txt');
    assert.ok(pid > 0);
    assert.equal(await eventuallyRead(marker), await realpath(join(tree.share, 'note.txt')));
    await assert.rejects(
      connection.desktop.launch('nope'),
      (error) => error instanceof HostlinkError && error.code === ErrorCode.NotFound,
    );
    await assert.rejects(connection.desktop.launch('writer', '/share/../../etc/passwd'));
    connection.close();
  });
});

/** The launched app runs detached: wait for what it writes. */
async function eventuallyRead(file: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = await readFile(file, 'utf8');
      if (text) return text;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
