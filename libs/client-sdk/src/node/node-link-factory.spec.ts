import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { encodeRelayTcpMessage } from '@hostlink/protocol';
import { createNodeLinkFactory } from './node-link-factory.js';

/** A relay stand-in on both transports: records which one each hello arrived on, and pairs at once. */
describe('Node relay legs', () => {
  const hellos: string[] = [];
  const tcp = createServer((socket) => {
    socket.once('data', () => {
      hellos.push('tcp');
      socket.write(encodeRelayTcpMessage({ type: 'paired' }));
    });
  });
  let ws: WebSocketServer;
  let tcpUrl = '';
  let wsUrl = '';
  before(async () => {
    await once(tcp.listen(0, '127.0.0.1'), 'listening');
    tcpUrl = `tcp://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    ws = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(ws, 'listening');
    wsUrl = `ws://127.0.0.1:${(ws.address() as AddressInfo).port}/relay`;
    ws.on('connection', (socket) =>
      socket.once('message', () => {
        hellos.push('ws');
        socket.send(JSON.stringify({ type: 'paired' }));
      }),
    );
  });
  after(() => {
    tcp.close();
    ws.close();
  });

  it('take the raw TCP legs when the relay offers them, else its WebSocket', async () => {
    const links = createNodeLinkFactory();
    (await links.relay({ url: wsUrl, tcpUrl }, 'ticket')).close();
    (await links.relay({ url: wsUrl }, 'ticket')).close();
    assert.deepEqual(hellos, ['tcp', 'ws']);
  });
});
