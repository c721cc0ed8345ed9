import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { toErrorBody } from '@hostlink/bus';
import { AgentCommand, type AgentCommandResult, parseOrThrow, pollCommandSubject } from '@hostlink/protocol';
import { throwError } from 'rxjs';
import { AgentRegistry } from '../agent-session/agent-registry.js';
import { POLL_OPTIONS, type PollOptions } from '../poll.options.js';

/**
 * Serves `pollCommandSubject(pollId)`: the subject names this instance, so it cannot be a decorator;
 * it is added to the bus server at init. Errors leave as domain error bodies, like DomainRpcFilter does.
 */
@Injectable()
export class AgentCommandHandler implements OnModuleInit {
  private readonly logger = new Logger('AgentCommand');

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly registry: AgentRegistry,
  ) {}

  onModuleInit(): void {
    this.options.commandTransport.addHandler(pollCommandSubject(this.options.pollId), (payload: unknown) =>
      Promise.resolve()
        .then(() => this.deliver(parseOrThrow(AgentCommand, payload, 'agent command')))
        .catch((error: unknown) =>
          throwError(() =>
            toErrorBody(error, (errorId, cause) => this.logger.error({ errorId, error: String(cause) })),
          ),
        ),
    );
  }

  deliver({ hostId, command }: AgentCommand): AgentCommandResult {
    const connection = this.registry.get(hostId);
    if (!connection || connection.state !== 'online') return { delivered: false };
    connection.send({
      type: 'open-relay',
      connectionId: command.connectionId,
      relayUrl: command.relayUrl,
      ticket: command.ticket,
    });
    return { delivered: true };
  }
}
