import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { dialRelay } from '@hostlink/client-sdk/node';
import { type ByteLink, createWebSocketLink } from '@hostlink/secure-channel';

/** Two ends of one byte path: what the agent writes into, what the client reads from. */
export interface PathEnds {
  sender: ByteLink;
  receiver: ByteLink;
}

/** A direct WebSocket connection on loopback: the baseline for the relay's WebSocket legs. */
export async function directWebSocket(): Promise<{ ends: PathEnds; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024 });
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [serverSide] = await accepted;
  const ends = { sender: createWebSocketLink(serverSide), receiver: createWebSocketLink(client) };
  return { ends, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Both legs of one relayed connection, dialled as the agent and the client dial them: both on `url`, or
 * the agent on `agentUrl` (a browser's session: its WebSocket leg, the agent's raw TCP one).
 */
export async function relayed(
  url: string,
  tickets: { client: string; agent: string },
  agentUrl = url,
): Promise<PathEnds> {
  const [sender, receiver] = await Promise.all([
    dialRelay(agentUrl, tickets.agent),
    dialRelay(url, tickets.client),
  ]);
  return { sender, receiver };
}
