import { useEffect, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import { formatSize } from '../files/file-list.js';

/** Application bytes received on this connection, refreshed twice a second (tests read `data-bytes`). */
export function ByteCounter({ connection }: { connection: HostConnection }) {
  const [bytes, setBytes] = useState(connection.bytesReceived);
  useEffect(() => {
    const timer = setInterval(() => setBytes(connection.bytesReceived), 500);
    return () => clearInterval(timer);
  }, [connection]);
  return (
    <span data-testid="bytes-received" data-bytes={bytes}>
      received {formatSize(bytes)}
    </span>
  );
}
