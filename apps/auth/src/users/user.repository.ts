import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Account, isUniqueViolation, PasswordCredential, User } from '@hostlink/persistence';
import { DataSource, Repository } from 'typeorm';
import type { PasswordHash } from '../passwords/password.hasher.js';

export interface UserWithCredential {
  user: User;
  credential: PasswordCredential | null;
}

/** Accounts, users and their password credentials. */
@Injectable()
export class UserRepository {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(PasswordCredential) private readonly credentials: Repository<PasswordCredential>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findInAccount(accountId: string, email: string): Promise<User | null> {
    return this.users.findOneBy({ accountId, email });
  }

  /** A member without a password (SSO just-in-time provisioning); the existing one if another won the race. */
  async createMember(accountId: string, email: string, at: Date): Promise<User> {
    const user = this.users.create({ id: randomUUID(), accountId, email, role: 'member', createdAt: at });
    try {
      await this.users.insert(user);
      return user;
    } catch (error) {
      const existing = isUniqueViolation(error) && (await this.findInAccount(accountId, email));
      if (existing) return existing;
      throw error;
    }
  }

  /** Every account's user with this email, oldest first (an email is unique per account only). */
  async findForSignIn(email: string, limit: number): Promise<UserWithCredential[]> {
    const users = await this.users.find({
      where: { email },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
    });
    return Promise.all(
      users.map(async (user) => ({
        user,
        credential: await this.credentials.findOneBy({ userId: user.id }),
      })),
    );
  }

  /** Creates the first account and its admin in one transaction, unless any user exists; null when one did. */
  /** Null when a user exists already, also when another instance created the first admin meanwhile. */
  async createFirstAdmin(email: string, password: PasswordHash, at: Date): Promise<User | null> {
    return this.insertFirstAdmin(email, password, at).catch((error: unknown) => {
      if (isUniqueViolation(error)) return null;
      throw error;
    });
  }

  private insertFirstAdmin(email: string, password: PasswordHash, at: Date): Promise<User | null> {
    return this.dataSource.transaction(async (manager) => {
      if ((await manager.count(User)) > 0) return null;
      const account = manager.create(Account, { id: randomUUID(), name: 'Default', createdAt: at });
      const user = manager.create(User, {
        id: randomUUID(),
        accountId: account.id,
        email,
        role: 'admin',
        createdAt: at,
      });
      await manager.insert(Account, account);
      await manager.insert(User, user);
      await manager.insert(PasswordCredential, { userId: user.id, ...password, updatedAt: at });
      return user;
    });
  }
}
