import WebSocket from 'ws';
import type { ServiceProcess } from './service-process.js';
import { rawText } from './raw-text.js';

/** What V8 reports right after a full garbage collection. */
export interface HeapAfterGc {
  usedBytes: number;
  totalBytes: number;
}

/**
 * Asks a process started with `--inspect=127.0.0.1:0` for a full garbage collection through the inspector
 * protocol, so an RSS reading counts what is held rather than garbage not collected yet.
 */
export async function collectGarbage(service: ServiceProcess): Promise<HeapAfterGc> {
  const [url] = await service.waitForLog(/ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/, 5_000);
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  try {
    await call(socket, 1, 'HeapProfiler.collectGarbage');
    const usage = (await call(socket, 2, 'Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
  } finally {
    socket.close();
  }
}

function call(socket: WebSocket, id: number, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const reply = JSON.parse(rawText(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (reply.id !== id) return;
      socket.off('message', onMessage);
      if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
      else resolve(reply.result);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, method }));
  });
}
