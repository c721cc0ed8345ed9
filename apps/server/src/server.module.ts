import { randomUUID } from 'node:crypto';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Server } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@hostlink/auth';
import { BrokerModule } from '@hostlink/broker';
import { BusClient, BusModule } from '@hostlink/bus';
import { GatewayModule, webSocketOrigins } from '@hostlink/gateway';
import { createMetricsRegistry, MetricsRegistryModule } from '@hostlink/observability';
import { dataSourceOptions } from '@hostlink/persistence';
import { PollModule } from '@hostlink/poll';
import { InMemoryPresenceStore, PRESENCE_STORE } from '@hostlink/presence';
import { type PresenceChanged, Subject } from '@hostlink/protocol';
import { RelayModule } from '@hostlink/relay';
import type { ServerSettings } from './server.config.js';

export const BUS_OPTIONS = { kind: 'in-process' } as const;

/** One in-memory presence for poll and broker; its sweeper publishes what expired unseen. */
@Global()
@Module({})
class EmbeddedPresenceModule {
  static forRoot(store: InMemoryPresenceStore): DynamicModule {
    return {
      module: EmbeddedPresenceModule,
      providers: [
        { provide: PRESENCE_STORE, useValue: store },
        {
          provide: 'PRESENCE_EXPIRY_PUBLISHER',
          inject: [BusClient],
          useFactory: (bus: BusClient) =>
            store.onExpired((record) => {
              const change: PresenceChanged = {
                eventId: randomUUID(),
                hostId: record.hostId,
                online: false,
                pollId: record.pollId,
                at: new Date().toISOString(),
                reason: 'timeout',
              };
              bus.emit(Subject.presenceChanged, change).catch(() => undefined);
            }),
        },
      ],
      exports: [PRESENCE_STORE],
    };
  }
}

/**
 * Every service in one process: SQLite, in-process bus, in-memory presence. One metrics registry, served
 * with the health endpoints on the gateway's port.
 */
@Module({})
export class ServerModule {
  static forRoot(
    settings: ServerSettings,
    transport: Pick<Server, 'addHandler'>,
    store: InMemoryPresenceStore,
  ): DynamicModule {
    const brokerIssuer = `${settings.urls.gateway}/broker`;
    return {
      module: ServerModule,
      imports: [
        MetricsRegistryModule.forRoot(createMetricsRegistry()),
        TypeOrmModule.forRoot(dataSourceOptions({ kind: 'sqlite', file: settings.databaseFile })),
        BusModule.forRoot(BUS_OPTIONS),
        EmbeddedPresenceModule.forRoot(store),
        AuthModule.forRoot({
          issuer: settings.urls.gateway,
          samlClockSkewSeconds: settings.samlClockSkewSeconds,
        }),
        BrokerModule.forRoot({
          issuer: brokerIssuer,
          authIssuer: settings.urls.gateway,
          publicPollUrl: settings.urls.poll,
          relays: [{ id: settings.relayId, url: settings.urls.relay, tcpUrl: settings.urls.relayTcp }],
        }),
        PollModule.forRoot({
          pollId: settings.pollId,
          host: settings.host,
          port: settings.ports.poll,
          heartbeatSeconds: settings.heartbeatSeconds,
          commandTransport: transport,
        }),
        RelayModule.forRoot({
          relayId: settings.relayId,
          host: settings.host,
          port: settings.ports.relay,
          publicUrl: settings.urls.relay,
          publicTcpUrl: settings.urls.relayTcp,
          pairTimeoutMs: settings.pairTimeoutMs,
          issuer: brokerIssuer,
          browserOrigins: [new URL(settings.urls.gateway).origin],
        }),
        GatewayModule.forRoot({
          root: settings.webRoot,
          publicUrl: settings.urls.gateway,
          connectSources: webSocketOrigins([settings.urls.relay]),
        }),
      ],
    };
  }
}
