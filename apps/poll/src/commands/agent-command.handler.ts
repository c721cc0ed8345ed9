import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { toErrorBody } from '@hostlink/bus';
import { withCorrelation } from '@hostlink/observability';
import { AgentCommand, type AgentCommandResult, parseOrThrow, pollCommandSubject } from '@hostlink/protocol';
import { throwError } from 'rxjs';
import { AgentRegistry } from '../agent-session/agent-registry.js';
import { AgentSessionService } from '../agent-session/agent-session.service.js';
import { POLL_OPTIONS, type PollOptions } from '../poll.options.js';

/**
 * Serves `pollCommandSubject(pollId)`: the subject names this instance, so it cannot be a decorator;
 * it is added to the bus server at init. Errors leave as domain error bodies, like DomainRpcFilter does.
 * Each command is delivered under the correlation id of the request that caused it.
 */
@Injectable()
export class AgentCommandHandler implements OnModuleInit {
  private readonly logger = new Logger('AgentCommand');

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly registry: AgentRegistry,
    private readonly sessions: AgentSessionService,
  ) {}

  onModuleInit(): void {
    this.options.commandTransport.addHandler(pollCommandSubject(this.options.pollId), (payload: unknown) =>
      Promise.resolve()
        .then(() => parseOrThrow(AgentCommand, payload, 'agent command'))
        .then((command) => withCorrelation(command.correlationId, () => this.deliver(command)))
        .catch((error: unknown) =>
          throwError(() =>
            toErrorBody(error, (errorId, cause) => this.logger.error({ errorId, error: String(cause) })),
          ),
        ),
    );
  }

  async deliver({ hostId, command }: AgentCommand): Promise<AgentCommandResult> {
    const connection = this.registry.get(hostId);
    if (!connection || connection.state !== 'online') return { delivered: false };
    switch (command.type) {
      case 'open-relay':
        this.logger.log({ msg: 'relay leg requested', hostId, connectionId: command.connectionId });
        connection.send({
          type: 'open-relay',
          connectionId: command.connectionId,
          relayUrl: command.relayUrl,
          relayTcpUrl: command.relayTcpUrl,
          ticket: command.ticket,
        });
        break;
      case 'revoke':
        await this.sessions.revoke(connection);
        break;
    }
    return { delivered: true };
  }
}
