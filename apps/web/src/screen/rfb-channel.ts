import type { MuxStream } from '@hostlink/secure-channel';

type State = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * Makes one channel stream look like the WebSocket noVNC expects (its "raw channel": send, close,
 * binaryType, readyState and the four on* handlers), so RFB rides inside the end-to-end encrypted channel
 * and the relay never sees a VNC byte in the clear.
 */
export class RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  private state: State = 'connecting';
  /** Bytes from the host's VNC server; a measure for the status bar. */
  received = 0;

  constructor(private readonly stream: MuxStream) {
    // noVNC installs its handlers right after taking the channel: open on the next turn.
    setTimeout(() => this.start(), 0);
  }

  get readyState(): State {
    return this.state;
  }

  /** noVNC reuses its send buffer at once: copy before the asynchronous write. */
  send(data: ArrayBuffer | Uint8Array): void {
    if (this.state !== 'open') return;
    const bytes = data instanceof Uint8Array ? data.slice() : new Uint8Array(data.slice(0));
    this.stream.write(bytes).catch((error: unknown) => this.fail(error));
  }

  close(): void {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    this.stream.reset('viewer closed');
    this.finish(true);
  }

  private start(): void {
    this.state = 'open';
    this.onopen?.();
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.stream) {
        this.received += chunk.length;
        this.onmessage?.({ data: chunk.slice().buffer });
      }
      this.finish(true);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (this.state === 'closed') return;
    this.onerror?.(error);
    this.finish(false);
  }

  private finish(clean: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.onclose?.({ code: clean ? 1000 : 1006, reason: '', wasClean: clean });
  }
}
