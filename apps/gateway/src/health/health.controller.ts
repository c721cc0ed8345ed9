import type { ServerResponse } from 'node:http';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiPath } from '@hostlink/protocol';
import { sendJson } from '../http/http-error.filter.js';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when ready, 503 when a service behind the bus does not answer (still alive, so not a crash). */
  @Get(ApiPath.health)
  async check(@Res() response: ServerResponse): Promise<void> {
    const report = await this.health.check();
    sendJson(response, report.status === 'ok' ? 200 : 503, report);
  }
}
