import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RefreshFamily, RefreshToken, spendTokenQuery } from '@hostlink/persistence';
import { IsNull, Repository } from 'typeorm';

export interface NewRefreshToken {
  tokenHash: string;
  familyId: string;
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
}

@Injectable()
export class RefreshTokenRepository {
  constructor(
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    @InjectRepository(RefreshFamily) private readonly families: Repository<RefreshFamily>,
  ) {}

  async createFamily(userId: string, at: Date): Promise<string> {
    const id = randomUUID();
    await this.families.insert({ id, userId, createdAt: at, revokedAt: null, revokedReason: null });
    return id;
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.tokens.insert({ id: randomUUID(), ...token, usedAt: null });
  }

  /**
   * Marks the token used if, and only if, it is unused, unexpired and its family is not revoked, in one
   * conditional UPDATE: of two concurrent uses exactly one gets `true`.
   */
  async consume(tokenHash: string, at: Date): Promise<boolean> {
    const result = await spendTokenQuery(this.tokens, tokenHash, at)
      .andWhere('family_id IN (SELECT id FROM refresh_family WHERE revoked_at IS NULL)')
      .execute();
    return result.affected === 1;
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.tokens.findOne({ where: { tokenHash }, relations: { family: true } });
  }

  /** Revokes a family once; the first reason recorded stays. */
  async revokeFamily(familyId: string, reason: 'sign-out' | 'reuse', at: Date): Promise<void> {
    await this.families.update(
      { id: familyId, revokedAt: IsNull() },
      { revokedAt: at, revokedReason: reason },
    );
  }
}
