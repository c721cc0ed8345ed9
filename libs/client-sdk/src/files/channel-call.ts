import type { z } from 'zod';
import { parseOrThrow, type ChannelRequest } from '@hostlink/protocol';
import { readHeader, writeHeader, type MuxStream, type StreamMux } from '@hostlink/secure-channel';
import { errorFromReply } from './channel-errors.js';

export type Ok<S extends z.ZodType> = Extract<z.infer<S>, { ok: true }>;

/** One operation on its own stream: the request header, end, then the agent's validated reply. */
export async function callOnStream<S extends z.ZodType>(
  mux: StreamMux,
  request: ChannelRequest,
  schema: S,
  options: { keepOpen?: boolean } = {},
): Promise<{ reply: Ok<S>; stream: MuxStream }> {
  const stream = mux.openStream();
  try {
    await writeHeader(stream, request);
    if (!options.keepOpen) await stream.end();
    return { reply: await readReply(stream, schema), stream };
  } catch (error) {
    stream.reset('failed');
    throw error;
  }
}

export async function readReply<S extends z.ZodType>(stream: MuxStream, schema: S): Promise<Ok<S>> {
  const reply = parseOrThrow(schema, await readHeader(stream), 'agent reply') as {
    ok: boolean;
    error?: { code: string; message: string };
  };
  if (!reply.ok) throw errorFromReply(reply.error!);
  return reply as Ok<S>;
}
