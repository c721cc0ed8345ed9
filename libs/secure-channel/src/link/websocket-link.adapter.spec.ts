import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type WsWebSocket from 'ws';
import { connectedChannels } from '../testing/channel-pair.fixture.js';
import type { ByteLink } from './byte-link.js';
import { type WebSocketLike, createWebSocketLink } from './websocket-link.adapter.js';

type Listener = (event: never) => void;

/** Two in-memory WebSocket look-alikes; messages arrive as ArrayBuffers like a browser delivers them. */
function fakeSocketPair(): [WebSocketLike, WebSocketLike] {
  const make = () => {
    const listeners = new Map<string, Listener[]>();
    const socket = {
      binaryType: 'blob',
      readyState: 1,
      bufferedAmount: 0,
      peer: null as null | { emit: (type: string, event: unknown) => void },
      emit: (type: string, event: unknown) => listeners.get(type)?.forEach((l) => l(event as never)),
      send(data: Uint8Array) {
        const copy = Uint8Array.from(data).buffer;
        queueMicrotask(() => socket.peer?.emit('message', { data: copy }));
      },
      close(code = 1000) {
        socket.readyState = 3;
        queueMicrotask(() => socket.peer?.emit('close', { code, reason: '' }));
      },
      addEventListener(type: string, listener: Listener): void {
        listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      },
    };
    return socket;
  };
  const [a, b] = [make(), make()];
  a.peer = b;
  b.peer = a;
  return [a, b];
}

describe('WebSocket link adapter', () => {
  it('carries a secure channel and switches the socket to arraybuffer', async () => {
    const [socketA, socketB] = fakeSocketPair();
    const links: [ByteLink, ByteLink] = [createWebSocketLink(socketA), createWebSocketLink(socketB)];
    assert.equal(socketA.binaryType, 'arraybuffer');
    const [a, b] = await connectedChannels({ links });
    const received = new Promise<Uint8Array>((resolve) => b.onMessage(resolve));
    await a.send(Uint8Array.of(9, 8, 7));
    assert.deepEqual(await received, Uint8Array.of(9, 8, 7));
    const closed = new Promise<Error | undefined>((resolve) => b.onClose(resolve));
    a.close();
    assert.equal(await closed, undefined);
  });

  it('closes with an error on a text message', async () => {
    const [socketA, socketB] = fakeSocketPair();
    const link = createWebSocketLink(socketB);
    const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
    (socketB as unknown as { emit: (type: string, event: unknown) => void }).emit('message', {
      data: 'hello',
    });
    assert.match(String(await closed), /non-binary/);
    assert.equal(socketA.readyState, 1);
  });

  it('accepts the browser and ws WebSocket types (checked by the compiler)', () => {
    const fromBrowser = (socket: WebSocket): WebSocketLike => socket;
    const fromWs = (socket: WsWebSocket): WebSocketLike => socket;
    assert.equal(typeof fromBrowser, typeof fromWs);
  });
});
