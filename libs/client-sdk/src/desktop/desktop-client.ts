import { AppsReply, DoneReply, LaunchReply, type AppEntry } from '@hostlink/protocol';
import type { MuxStream, StreamMux } from '@hostlink/secure-channel';
import { callOnStream } from '../files/channel-call.js';

/** The host's desktop over a logged-in channel: its configured apps and a raw RFB stream to its screen. */
export class DesktopClient {
  constructor(private readonly mux: StreamMux) {}

  async apps(): Promise<AppEntry[]> {
    return (await callOnStream(this.mux, { op: 'apps' }, AppsReply)).reply.apps;
  }

  /** `path`: a file in the host's shared folders, opened with the app. */
  async launch(appId: string, path?: string): Promise<{ pid: number }> {
    const request =
      path === undefined ? { op: 'launch' as const, appId } : { op: 'launch' as const, appId, path };
    const { pid } = (await callOnStream(this.mux, request, LaunchReply)).reply;
    return { pid };
  }

  /**
   * A stream carrying RFB to and from the host's VNC server once the agent reached it; write the
   * viewer's bytes, read the server's, `end` or `reset` to hang up.
   */
  async openScreen(): Promise<MuxStream> {
    return (await callOnStream(this.mux, { op: 'screen' }, DoneReply, { keepOpen: true })).stream;
  }
}
