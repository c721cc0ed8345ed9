import { Body, Controller, Get, Header, HttpCode, Ip, Post, UseFilters } from '@nestjs/common';
import { ApiPath, type Jwks } from '@hostlink/protocol';
import type { OAuthTokenResponse } from './oauth.messages.js';
import { OAuthErrorFilter } from './oauth.error.js';
import { OAuthService } from './oauth.service.js';

@Controller()
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Post(ApiPath.token)
  @HttpCode(200)
  @Header('pragma', 'no-cache')
  @UseFilters(OAuthErrorFilter)
  token(@Body() body: unknown, @Ip() ip: string | undefined): Promise<OAuthTokenResponse> {
    return this.oauth.token(body, ip);
  }

  @Post(ApiPath.revoke)
  @HttpCode(200)
  @UseFilters(OAuthErrorFilter)
  revoke(@Body() body: unknown): Promise<void> {
    return this.oauth.revoke(body);
  }

  @Get(ApiPath.jwks)
  @Header('cache-control', 'public, max-age=300')
  jwks(): Promise<Jwks> {
    return this.oauth.jwks();
  }
}
