import type { z } from 'zod';
import {
  DoneReply,
  ListReply,
  LoginReply,
  ReadReply,
  SearchReply,
  StatReply,
  WriteReply,
  type ChannelRequest,
  type FileEntry,
  type Policy,
} from '@hostlink/protocol';
import { writeHeader, type StreamMux } from '@hostlink/secure-channel';
import { callOnStream, readReply } from './channel-call.js';

export interface ReadOptions {
  offset?: number;
  length?: number;
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface ReadResult {
  size: number;
  offset: number;
  length: number;
  etag: string;
  notModified: boolean;
  /** The requested bytes; empty when not modified. Read it to the end (or call `cancel`). */
  body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

/** The agent's file operations, one multiplexed stream each, over an established and logged-in channel. */
export class FileClient {
  constructor(protected readonly mux: StreamMux) {}

  async login(grant: string, password: string): Promise<{ hostName: string; policy: Policy }> {
    return (await this.call({ op: 'login', grant, password }, LoginReply)).reply;
  }

  async list(path: string): Promise<FileEntry[]> {
    return (await this.call({ op: 'list', path }, ListReply)).reply.entries;
  }

  async stat(path: string): Promise<{ entry: FileEntry; etag: string }> {
    const { entry, etag } = (await this.call({ op: 'stat', path }, StatReply)).reply;
    return { entry, etag };
  }

  async search(
    path: string,
    query: string,
    limit = 100,
  ): Promise<{ matches: { path: string; entry: FileEntry }[]; truncated: boolean }> {
    const { matches, truncated } = (await this.call({ op: 'search', path, query, limit }, SearchReply)).reply;
    return { matches, truncated };
  }

  async mkdir(path: string): Promise<void> {
    await this.call({ op: 'mkdir', path }, DoneReply);
  }

  async remove(path: string): Promise<void> {
    await this.call({ op: 'remove', path }, DoneReply);
  }

  async move(from: string, to: string): Promise<void> {
    await this.call({ op: 'move', from, to }, DoneReply);
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const { reply, stream } = await this.call({ op: 'read', path, ...options }, ReadReply);
    const { size, offset, length, etag, notModified } = reply;
    return { size, offset, length, etag, notModified, body: stream, cancel: () => stream.reset('cancelled') };
  }

  /**
   * Uploads exactly `size` bytes. The agent may refuse before the body is sent (exists, policy): its
   * reply is watched while sending, so a refusal stops the upload at once.
   */
  async write(
    path: string,
    size: number,
    body: AsyncIterable<Uint8Array>,
    options: { overwrite?: boolean } = {},
  ) {
    const stream = this.mux.openStream();
    await writeHeader(stream, {
      op: 'write',
      path,
      size,
      overwrite: options.overwrite ?? false,
    } satisfies ChannelRequest);
    const reply = readReply(stream, WriteReply);
    const early = reply.then(
      () => 'replied' as const,
      () => 'replied' as const,
    );
    try {
      for await (const chunk of body) {
        if ((await Promise.race([stream.write(chunk).then(() => 'written' as const), early])) === 'replied')
          break;
      }
      await Promise.race([stream.end(), early]);
      const done = await reply;
      return { size: done.size, etag: done.etag };
    } catch (error) {
      stream.reset('upload aborted');
      throw error;
    }
  }

  private call<S extends z.ZodType>(request: ChannelRequest, schema: S) {
    return callOnStream(this.mux, request, schema);
  }
}
