import { randomUUID } from 'node:crypto';
import { ChannelRequest, ErrorCode, HostlinkError, parseOrThrow, type Policy } from '@hostlink/protocol';
import { readHeader, writeHeader, type MuxStream, type StreamMux } from '@hostlink/secure-channel';
import type { LoginService } from '../login/login.service.js';
import type { Logger } from '../log/logger.js';
import { isDesktopRequest, type DesktopOperations } from '../desktop/desktop-operations.js';
import type { FileOperations } from './file-operations.js';

/** Requests are small; a bigger header is an attack or a bug. */
const MAX_REQUEST_HEADER_BYTES = 64 * 1024;

export interface ChannelSessionDeps {
  readonly mux: StreamMux;
  readonly remoteStatic: Uint8Array;
  readonly hostName: string;
  readonly login: LoginService;
  readonly files: FileOperations;
  readonly desktop: DesktopOperations;
  readonly log: Logger;
}

/**
 * One client's secure channel: the first stream must log in; then each stream is one file operation,
 * run concurrently. A failed login closes the channel (its grant is spent anyway).
 */
export class ChannelSession {
  private policy: Policy | null = null;
  private loginInFlight = false;
  /** Set after a refused login: the error reply is sent, then the channel closes. */
  private closeAfterReply = false;

  constructor(private readonly deps: ChannelSessionDeps) {}

  start(): void {
    this.deps.mux.onStream((stream) => void this.serve(stream));
  }

  private async serve(stream: MuxStream): Promise<void> {
    let replied = false;
    try {
      const request = parseOrThrow(
        ChannelRequest,
        await readHeader(stream, MAX_REQUEST_HEADER_BYTES),
        'channel request',
      );
      const reply = async (header: object) => {
        replied = true;
        await writeHeader(stream, { ok: true, ...header });
      };
      if (request.op === 'login') await this.login(request, reply);
      else if (isDesktopRequest(request)) {
        this.requirePolicy();
        await this.deps.desktop.run(request, stream, reply);
      } else await this.deps.files.run(request, this.requirePolicy(), stream, reply);
      await stream.end();
    } catch (error) {
      await this.fail(stream, error, replied);
    }
  }

  private async login(
    request: Extract<ChannelRequest, { op: 'login' }>,
    reply: (header: object) => Promise<void>,
  ) {
    if (this.policy || this.loginInFlight) throw new HostlinkError(ErrorCode.BadRequest, 'already logged in');
    this.loginInFlight = true;
    try {
      const outcome = await this.deps.login.login({
        grant: request.grant,
        password: request.password,
        channelRemoteStatic: this.deps.remoteStatic,
      });
      this.policy = outcome.policy;
      this.deps.log.info('login', { userId: outcome.userId });
      await reply({ hostName: this.deps.hostName, policy: outcome.policy });
    } catch (error) {
      this.deps.log.warn('login refused', { code: error instanceof HostlinkError ? error.code : 'internal' });
      this.closeAfterReply = true;
      throw error;
    } finally {
      this.loginInFlight = false;
    }
  }

  private requirePolicy(): Policy {
    if (!this.policy)
      throw new HostlinkError(ErrorCode.Unauthenticated, 'log in first: the first request must be login');
    return this.policy;
  }

  /** Before the reply header: an error reply. After it (mid-body): only a stream reset can say so. */
  private async fail(stream: MuxStream, error: unknown, replied: boolean): Promise<void> {
    const known = error instanceof HostlinkError ? error : null;
    if (!known) this.deps.log.error('request failed', { error: String(error) });
    if (replied || isStreamFailure(error)) {
      stream.reset(known ? known.code : 'failed');
      return;
    }
    const body = known
      ? { code: known.code, message: known.message }
      : { code: ErrorCode.Internal, message: `internal error ${randomUUID()}` };
    try {
      await writeHeader(stream, { ok: false, error: body });
      await stream.end();
    } catch {
      stream.reset('failed');
    }
    if (this.closeAfterReply) this.deps.mux.close();
  }
}

function isStreamFailure(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('SecureChannel');
}
