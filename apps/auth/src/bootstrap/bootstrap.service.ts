import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type BootstrapAdminRequest,
  type BootstrapAdminResponse,
  ErrorCode,
  HostlinkError,
} from '@hostlink/protocol';
import { CLOCK, type Clock } from '../auth.options.js';
import { PasswordHasher } from '../passwords/password.hasher.js';
import { UserRepository } from '../users/user.repository.js';

export const MIN_PASSWORD_LENGTH = 8;

/** First run: the first account and its admin. Does nothing once any user exists. */
@Injectable()
export class BootstrapService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async bootstrapAdmin(request: BootstrapAdminRequest): Promise<BootstrapAdminResponse> {
    if (request.password !== undefined && request.password.length < MIN_PASSWORD_LENGTH) {
      throw new HostlinkError(
        ErrorCode.BadRequest,
        `the admin password needs at least ${MIN_PASSWORD_LENGTH} characters`,
      );
    }
    // 18 random bytes: a 24-character password with 144 bits of entropy.
    const password = request.password ?? randomBytes(18).toString('base64url');
    const created = await this.users.createFirstAdmin(
      request.email,
      await this.hasher.hash(password),
      this.clock(),
    );
    if (!created) return { created: false, email: request.email };
    return request.password === undefined
      ? { created: true, email: created.email, generatedPassword: password }
      : { created: true, email: created.email };
  }
}
