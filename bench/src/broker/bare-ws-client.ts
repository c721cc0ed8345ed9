/**
 * The baseline for agent idle memory: a bare Node process holding one `ws` connection and nothing else.
 *
 *   node bench/dist/broker/bare-ws-client.js <ws-url>
 */
import WebSocket from 'ws';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: bare-ws-client.js <ws-url>');
const socket = new WebSocket(url);
socket.once('open', () => console.log('bare ws client connected'));
socket.once('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
process.once('SIGTERM', () => {
  socket.close();
  process.exit(0);
});
