import WebSocket from 'ws';
import type { ServiceProcess } from './service-process.js';
import { rawText } from './raw-text.js';

/** What V8 and Node report right after a full garbage collection. */
export interface HeapAfterGc {
  usedBytes: number;
  /** The heap V8 has committed (used plus free space in its pages). */
  totalBytes: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, crypto keys), as `process.memoryUsage()`. */
  externalBytes: number;
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
    const node = (await call(socket, 3, 'Runtime.evaluate', {
      expression: 'process.memoryUsage().external',
      returnByValue: true,
    })) as { result: { value: number } };
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize, externalBytes: node.result.value };
  } finally {
    socket.close();
  }
}

function call(socket: WebSocket, id: number, method: string, params?: object): Promise<unknown> {
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
    socket.send(JSON.stringify({ id, method, params }));
  });
}
