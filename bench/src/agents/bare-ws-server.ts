/**
 * The memory baseline: a bare `ws` server, with poll's own options, holding connections and doing nothing
 * else. Run as its own process (`node bench/dist/agents/bare-ws-server.js`) so its RSS can be read alone.
 */
import { POLL_MAX_FRAME_BYTES, POLL_PATH } from '@hostlink/protocol';
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  path: POLL_PATH,
  maxPayload: POLL_MAX_FRAME_BYTES,
  perMessageDeflate: false,
});
server.on('connection', (socket) => socket.on('error', () => socket.terminate()));
server.on('listening', () => {
  const address = server.address();
  console.log(`bare ws listening ${typeof address === 'object' && address ? address.port : address}`);
});
process.once('SIGTERM', () => process.exit(0));
