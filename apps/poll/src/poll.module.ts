import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsModule } from '@hostlink/observability';
import { AgentRegistry } from './agent-session/agent-registry.js';
import { AgentSessionService } from './agent-session/agent-session.service.js';
import { HostAuthenticator } from './agent-session/host-authenticator.service.js';
import { AgentCommandHandler } from './commands/agent-command.handler.js';
import { POLL_OPTIONS, type PollOptions } from './poll.options.js';
import { PollPresenceService } from './presence/poll-presence.service.js';
import { PollSocketServer } from './socket/poll-socket.server.js';

/**
 * Holds agents' long-lived connections. Needs from the composing app: a global BusModule and a
 * `PRESENCE_STORE` provider; `commandTransport` is the bus server strategy the app connects.
 */
@Module({})
export class PollModule {
  static forRoot(options: PollOptions): DynamicModule {
    return {
      module: PollModule,
      imports: [MetricsModule],
      providers: [
        { provide: POLL_OPTIONS, useValue: options },
        AgentRegistry,
        HostAuthenticator,
        PollPresenceService,
        AgentSessionService,
        AgentCommandHandler,
        PollSocketServer,
      ],
      exports: [PollSocketServer],
    };
  }
}
