/**
 * The baseline for the gateway's host listing: a bare `node:http` server answering every request with the
 * same JSON body the gateway returned (read from a file), nothing else in the way.
 *
 *   node bench/dist/broker/bare-json-server.js <body.json>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: bare-json-server.js <body.json>');
const body = readFileSync(file);
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address) console.log(`bare json server listening ${address.port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
