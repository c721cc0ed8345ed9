import type { ChannelRequest } from '@hostlink/protocol';
import type { MuxStream } from '@hostlink/secure-channel';
import type { AppLauncher } from './app-launcher.js';
import type { ScreenBridge } from './screen-bridge.js';

export type DesktopRequest = Extract<ChannelRequest, { op: 'screen' | 'apps' | 'launch' }>;
type Reply = (header: object) => Promise<void>;

export const isDesktopRequest = (request: ChannelRequest): request is DesktopRequest =>
  request.op === 'screen' || request.op === 'apps' || request.op === 'launch';

/** The host's desktop over the channel: its screen (RFB to the VNC server) and its configured apps. */
export class DesktopOperations {
  constructor(
    private readonly screen: ScreenBridge,
    private readonly apps: AppLauncher,
  ) {}

  async run(request: DesktopRequest, stream: MuxStream, reply: Reply): Promise<void> {
    switch (request.op) {
      case 'screen': {
        const socket = await this.screen.open();
        await reply({});
        return this.screen.splice(socket, stream);
      }
      case 'apps':
        return reply({ apps: this.apps.list() });
      case 'launch':
        return reply(await this.apps.launch(request.appId, request.path));
    }
  }
}
