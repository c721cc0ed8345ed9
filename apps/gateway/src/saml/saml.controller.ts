import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Ip,
  Param,
  Post,
  Put,
  Query,
  Redirect,
} from '@nestjs/common';
import { ApiPath, type SamlIdpSummary } from '@hostlink/protocol';
import { bearerToken } from '../http/bearer.js';
import { SamlService } from './saml.service.js';

/**
 * The SAML browser endpoints of each account (`/saml/<account>/...`) and the admin import. The browser
 * never sees a token: the ACS redirects it with a one-time code that only the client holding the PKCE
 * verifier can redeem at `/oauth/token`.
 */
@Controller()
export class SamlController {
  constructor(private readonly saml: SamlService) {}

  /** `?code_challenge=<S256>&redirect_uri=<loopback URL or path>&state=<token>` → 302 to the IdP. */
  @Get('saml/:accountId/login')
  @Redirect()
  @Header('cache-control', 'no-store')
  async login(@Param('accountId') accountId: string, @Query() query: unknown): Promise<{ url: string }> {
    return { url: await this.saml.login(accountId, query) };
  }

  /** The IdP's HTTP-POST binding → 303 to the client's redirect with `code` and `state`. */
  @Post('saml/:accountId/acs')
  @Redirect(undefined, 303)
  @Header('cache-control', 'no-store')
  async acs(
    @Param('accountId') accountId: string,
    @Body() body: unknown,
    @Ip() ip: string | undefined,
  ): Promise<{ url: string }> {
    return { url: await this.saml.acs(accountId, body, ip) };
  }

  @Get('saml/:accountId/metadata')
  @Header('content-type', 'application/samlmetadata+xml')
  metadata(@Param('accountId') accountId: string): Promise<string> {
    return this.saml.metadata(accountId);
  }

  /** Admin, Bearer: an OAuth access token. Body `{ metadataXml, jitProvisioning? }`. */
  @Put(ApiPath.accountSso)
  @HttpCode(200)
  importMetadata(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<SamlIdpSummary> {
    return this.saml.importMetadata(bearerToken(authorization), body);
  }
}
