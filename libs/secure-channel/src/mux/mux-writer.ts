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
 * cost one encryption. Large payloads are handed to the channel as pieces, never copied into the
 * message. Each frame's promise settles with the channel send of its message.
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
    for (const batch of this.batches.splice(0)) batch.settle(this.channel.sendParts(pieces(batch)));
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

/** Payloads at least this long are encrypted in place as their own pieces; shorter ones are copied. */
const IN_PLACE_PAYLOAD_MIN = 1024;

/** The batch's frames as message pieces: headers and small payloads packed, large payloads as views. */
function pieces(batch: Batch): Uint8Array[] {
  let packedSize = 0;
  for (const { payload } of batch.frames)
    packedSize += MUX_HEADER_LEN + (payload.length < IN_PLACE_PAYLOAD_MIN ? payload.length : 0);
  const packed = new Uint8Array(packedSize);
  const out: Uint8Array[] = [];
  let start = 0;
  let offset = 0;
  for (const frame of batch.frames) {
    writeMuxHeader(packed, offset, frame);
    offset += MUX_HEADER_LEN;
    if (frame.payload.length < IN_PLACE_PAYLOAD_MIN) {
      packed.set(frame.payload, offset);
      offset += frame.payload.length;
    } else {
      out.push(packed.subarray(start, offset), frame.payload);
      start = offset;
    }
  }
  if (offset > start) out.push(packed.subarray(start, offset));
  return out;
}
