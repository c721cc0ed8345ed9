import type { ServerResponse } from 'node:http';
import { Controller, Get, Res } from '@nestjs/common';
import type { OpsPathName } from '@hostlink/observability';
import { OpsPath } from '@hostlink/protocol';
import { HealthService } from './health.service.js';

/** The ops endpoints on the clients' port too (a load balancer's health check, a scrape through ingress). */
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get(OpsPath.live)
  live(@Res() response: ServerResponse): Promise<void> {
    return this.send(response, OpsPath.live);
  }

  /** 200 when ready, 503 naming what does not answer (still alive, so not a crash). */
  @Get(OpsPath.ready)
  ready(@Res() response: ServerResponse): Promise<void> {
    return this.send(response, OpsPath.ready);
  }

  @Get(OpsPath.metrics)
  metrics(@Res() response: ServerResponse): Promise<void> {
    return this.send(response, OpsPath.metrics);
  }

  private async send(response: ServerResponse, path: OpsPathName): Promise<void> {
    const { status, contentType, body } = await this.health.answer(path);
    response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
  }
}
