import type { ByteLink } from '@hostlink/secure-channel';
import { acceptChannel, StreamMux } from '@hostlink/secure-channel';
import { createNodeCryptoBackend } from '@hostlink/secure-channel/node';
import type { AgentConfig } from '../config/agent-config.js';
import { rawKeyPair } from '../config/static-key.js';
import { FileBrowseService } from '../files/file-browse.service.js';
import { FileChangeService } from '../files/file-change.service.js';
import { FileTransferService } from '../files/file-transfer.service.js';
import { RootResolver } from '../files/root-resolver.js';
import { GrantVerifier } from '../login/grant-verifier.js';
import { LoginRateLimiter } from '../login/login-rate-limiter.js';
import { LoginService } from '../login/login.service.js';
import type { Logger } from '../log/logger.js';
import { AppLauncher } from '../desktop/app-launcher.js';
import { DesktopOperations } from '../desktop/desktop-operations.js';
import { ScreenBridge } from '../desktop/screen-bridge.js';
import { ChannelSession } from './channel-session.js';
import { FileOperations } from './file-operations.js';

/** Serves this host over any byte link (direct TCP or a relay leg): Noise IK responder, then a session. */
export class HostService {
  private readonly backend = createNodeCryptoBackend();
  private readonly login: LoginService;
  private readonly files: FileOperations;
  private readonly desktop: DesktopOperations;

  constructor(
    private readonly config: AgentConfig,
    private readonly log: Logger,
    /** What launched apps inherit (the agent's own environment). */
    environment: Readonly<Record<string, string | undefined>> = {},
  ) {
    const resolver = new RootResolver(
      config.shares.map((share) => ({ name: share.name, realPath: share.path })),
    );
    this.files = new FileOperations(
      new FileBrowseService(resolver),
      new FileTransferService(resolver),
      new FileChangeService(resolver),
    );
    this.desktop = new DesktopOperations(
      new ScreenBridge(config.desktop),
      new AppLauncher(config.apps ?? [], config.desktop, resolver, environment),
    );
    const grants = new GrantVerifier(config.hostId, config.brokerKeys);
    this.login = new LoginService(grants, new LoginRateLimiter(), config.hostPasswordHash);
  }

  async serve(link: ByteLink, route: 'direct' | 'relay'): Promise<void> {
    const log = this.log.child({ route });
    try {
      const channel = await acceptChannel(link, {
        staticKeyPair: rawKeyPair(this.config.staticKey),
        backend: this.backend,
      });
      log.info('secure channel up');
      channel.onClose((error) => log.info('secure channel closed', error ? { error: error.message } : {}));
      const mux = new StreamMux(channel);
      new ChannelSession({
        mux,
        remoteStatic: channel.remoteStaticPublicKey,
        hostName: this.config.hostName,
        login: this.login,
        files: this.files,
        desktop: this.desktop,
        log,
      }).start();
    } catch (error) {
      log.warn('handshake failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
