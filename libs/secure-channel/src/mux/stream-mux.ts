import type { SecureChannel } from '../channel/secure-channel.js';
import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';
import {
  type MuxFrame,
  MuxFrameType,
  decodeMuxFramePieces,
  protocolError,
  readWindowIncrement,
} from './mux-frame.codec.js';
import { MuxStream, type MuxStreamHost } from './mux-stream.js';
import { MuxWriter } from './mux-writer.js';

/**
 * Many streams over one SecureChannel. The channel initiator opens odd ids, the responder even ones.
 * A peer that breaks the rules closes the whole channel with a MuxProtocol error.
 */
export class StreamMux implements MuxStreamHost {
  /** Application bytes (DATA payloads) sent and received, across all streams. */
  bytesSent = 0;
  bytesReceived = 0;
  private readonly streams = new Map<number, MuxStream>();
  private readonly writer: MuxWriter;
  private nextLocalId: number;
  private highestRemoteId = 0;
  private streamHandler: ((stream: MuxStream) => void) | null = null;
  private pendingIncoming: MuxStream[] = [];
  private closeError: Error | null = null;

  constructor(private readonly channel: SecureChannel) {
    this.writer = new MuxWriter(channel);
    this.nextLocalId = channel.isInitiator ? 1 : 2;
    channel.onMessagePieces((message) => this.receive(message));
    channel.onClose((error) => this.channelClosed(error));
  }

  openStream(): MuxStream {
    if (this.closeError) throw this.closeError;
    const stream = new MuxStream(this.nextLocalId, this);
    this.nextLocalId += 2;
    this.streams.set(stream.id, stream);
    void this.sendFrame({ type: MuxFrameType.Open, streamId: stream.id, payload: new Uint8Array(0) });
    return stream;
  }

  /** One handler; streams the peer opened before it was set are handed to it. */
  onStream(handler: (stream: MuxStream) => void): void {
    this.streamHandler = handler;
    for (const stream of this.pendingIncoming.splice(0)) handler(stream);
  }

  close(error?: Error): void {
    this.channel.close(error);
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  sendFrame(frame: MuxFrame): Promise<void> {
    if (frame.type === MuxFrameType.Data) this.bytesSent += frame.payload.length;
    return this.writer.send(frame);
  }

  release(stream: MuxStream): void {
    this.streams.delete(stream.id);
  }

  private receive(message: Uint8Array[]): void {
    try {
      for (const frame of decodeMuxFramePieces(message)) this.dispatch(frame);
    } catch (error) {
      this.channel.close(error as Error);
    }
  }

  private dispatch(frame: MuxFrame): void {
    if (frame.type === MuxFrameType.Open) return this.acceptStream(frame.streamId);
    const stream = this.streams.get(frame.streamId);
    if (!stream) return this.checkClosedStreamId(frame.streamId);
    switch (frame.type) {
      case MuxFrameType.Data:
        this.bytesReceived += frame.payload.length;
        return stream.handleData(frame.payload);
      case MuxFrameType.Window:
        return stream.handleWindow(readWindowIncrement(frame.payload));
      case MuxFrameType.Fin:
        return stream.handleFin();
      case MuxFrameType.Reset:
        return stream.handleReset(frame.payload);
    }
  }

  private acceptStream(id: number): void {
    if (!this.isRemoteId(id) || id <= this.highestRemoteId)
      throw protocolError(`bad stream id ${id} in OPEN`);
    this.highestRemoteId = id;
    const stream = new MuxStream(id, this);
    this.streams.set(id, stream);
    if (this.streamHandler) this.streamHandler(stream);
    else this.pendingIncoming.push(stream);
  }

  /** Frames for a stream that already ended are normal races; for a never-opened one, a violation. */
  private checkClosedStreamId(id: number): void {
    const known = this.isRemoteId(id) ? id <= this.highestRemoteId : id > 0 && id < this.nextLocalId;
    if (!known) throw protocolError(`frame for unknown stream ${id}`);
  }

  private isRemoteId(id: number): boolean {
    return id % 2 === (this.channel.isInitiator ? 0 : 1) && id > 0;
  }

  private channelClosed(error?: Error): void {
    this.closeError = new SecureChannelError(SecureChannelErrorCode.Closed, 'secure channel closed', {
      cause: error,
    });
    const reported = error instanceof SecureChannelError ? error : this.closeError;
    for (const stream of this.streams.values()) stream.handleChannelClosed(reported);
    this.streams.clear();
  }
}
