import { MAX_CHANNEL_MESSAGE, type SecureChannel } from '../channel/secure-channel.js';
import { MUX_HEADER_LEN, type MuxFrame, writeMuxHeader } from './mux-frame.codec.js';

interface Batch {
  readonly frames: MuxFrame[];
  size: number;
  readonly sent: Promise<void>;
  readonly settle: (sent: Promise<void>) => void;
}

/**
 * Packs frames queued in the same tick into as few channel messages as fit, so many small writes
 * cost one encryption. Each frame's promise settles with the channel send of its message.
 */
export class MuxWriter {
  private batches: Batch[] = [];
  private scheduled = false;

  constructor(private readonly channel: SecureChannel) {}

  send(frame: MuxFrame): Promise<void> {
    const frameSize = MUX_HEADER_LEN + frame.payload.length;
    let batch = this.batches.at(-1);
    if (!batch || batch.size + frameSize > MAX_CHANNEL_MESSAGE) {
      batch = newBatch();
      this.batches.push(batch);
    }
    batch.frames.push(frame);
    batch.size += frameSize;
    this.schedule();
    return batch.sent;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    for (const batch of this.batches.splice(0)) batch.settle(this.channel.send(pack(batch)));
  }
}

function newBatch(): Batch {
  let settle: (sent: Promise<void>) => void = () => undefined;
  const sent = new Promise<void>((resolve, reject) => {
    settle = (channelSend) => {
      channelSend.then(resolve, reject);
    };
  });
  // Control frames are fire-and-forget; their failure surfaces as the channel's close instead.
  sent.catch(() => undefined);
  return { frames: [], size: 0, sent, settle };
}

function pack(batch: Batch): Uint8Array {
  const message = new Uint8Array(batch.size);
  let offset = 0;
  for (const frame of batch.frames) {
    writeMuxHeader(message, offset, frame);
    message.set(frame.payload, offset + MUX_HEADER_LEN);
    offset += MUX_HEADER_LEN + frame.payload.length;
  }
  return message;
}
