import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiPath,
  type ConnectOffer,
  type EnrollmentResponse,
  type ListHostsResponse,
  type RegisterHostResponse,
  type SessionResponse,
} from '@hostlink/protocol';
import { bearerToken } from '../http/bearer.js';
import { ApiService } from './api.service.js';

@Controller()
export class ApiController {
  constructor(private readonly api: ApiService) {}

  /** Bearer: an OAuth access token. */
  @Post(ApiPath.session)
  @HttpCode(200)
  session(@Headers('authorization') authorization: string | undefined): Promise<SessionResponse> {
    return this.api.createSession(bearerToken(authorization));
  }

  @Get(ApiPath.hosts)
  hosts(@Headers('authorization') authorization: string | undefined): Promise<ListHostsResponse> {
    return this.api.listHosts(bearerToken(authorization));
  }

  @Post(ApiPath.enrollmentTokens)
  enrollmentToken(@Headers('authorization') authorization: string | undefined): Promise<EnrollmentResponse> {
    return this.api.createEnrollment(bearerToken(authorization));
  }

  /** No bearer: the enrollment token in the body is the credential. */
  @Post(ApiPath.registerAgent)
  register(@Body() body: unknown): Promise<RegisterHostResponse> {
    return this.api.registerAgent(body);
  }

  /** `ApiPath.connect(id)` as a route (ApiPath.connect would escape the `:`). */
  @Post(`${ApiPath.hosts}/:hostId/connect`)
  @HttpCode(200)
  connect(
    @Headers('authorization') authorization: string | undefined,
    @Param('hostId') hostId: string,
    @Body() body: unknown,
  ): Promise<ConnectOffer> {
    return this.api.connect(bearerToken(authorization), hostId, body);
  }

  /** `ApiPath.host(id)` as a route (ApiPath.host would escape the `:`). */
  @Delete(`${ApiPath.hosts}/:hostId`)
  @HttpCode(204)
  removeHost(
    @Headers('authorization') authorization: string | undefined,
    @Param('hostId') hostId: string,
  ): Promise<void> {
    return this.api.removeHost(bearerToken(authorization), hostId);
  }
}
