import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { after, describe, it } from 'node:test';
import { establishedConnections } from './tcp-connections.js';
import { freePort } from './free-port.js';
import { startTcpForwarder } from './tcp-forwarder.js';

/** A server that answers every connection with its name, then keeps it open. */
async function namedServer(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    // The forwarder resets its backend connections when cut: that reset is expected here.
    socket.on('error', () => undefined);
    socket.write(name);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Connects through `port`; resolves with what the far end said first, or the error that ended it. */
async function greeting(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  return new Promise((resolve) => {
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => resolve('closed'));
  });
}

describe('TcpForwarder', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((server) => server.close()));

  it('balances new connections in turn and skips a backend that refuses', async () => {
    const a = await namedServer('a');
    const b = await namedServer('b');
    servers.push(a.server, b.server);
    const refusing = await freePort();
    const balancer = await startTcpForwarder([a.port, refusing, b.port]);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await greeting(balancer.port));
    assert.deepEqual(answers, ['a', 'b', 'b', 'a']);
    await balancer.close();
  });

  it('cuts every connection and refuses new ones until restored', async () => {
    const a = await namedServer('a');
    servers.push(a.server);
    const cable = await startTcpForwarder([a.port]);
    const held = connect(cable.port, '127.0.0.1');
    await once(held, 'data');
    assert.equal(establishedConnections(a.port), 1);
    // events.once would reject on the reset's 'error': wait for 'close' alone.
    const reset = new Promise((resolve) => held.once('close', resolve));
    held.on('error', () => undefined);
    cable.cut();
    await reset;
    assert.equal(await greeting(cable.port), 'ECONNRESET');
    cable.restore();
    assert.equal(await greeting(cable.port), 'a');
    await cable.close();
  });
});
