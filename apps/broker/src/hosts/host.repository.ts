import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Host, isUniqueViolation } from '@hostlink/persistence';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { Repository } from 'typeorm';

@Injectable()
export class HostRepository {
  constructor(@InjectRepository(Host) private readonly hosts: Repository<Host>) {}

  findById(id: string): Promise<Host | null> {
    return this.hosts.findOneBy({ id });
  }

  /** Hosts of an account, all of them or only one owner's. */
  list(accountId: string, ownerUserId?: string): Promise<Host[]> {
    return this.hosts.find({
      where: { accountId, ...(ownerUserId ? { ownerUserId } : {}) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  async insert(host: Host): Promise<void> {
    try {
      await this.hosts.insert(host);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const sameName = await this.hosts.existsBy({ accountId: host.accountId, name: host.name });
      throw new HostlinkError(
        ErrorCode.Conflict,
        sameName
          ? `a host named ${JSON.stringify(host.name)} already exists: enroll with another --name`
          : 'a host with this public key is already registered',
      );
    }
  }

  /** Deletes the host row; nothing references it, so its audit trail stays. */
  async delete(id: string): Promise<void> {
    await this.hosts.delete({ id });
  }

  /** Moves `lastSeenAt` forward only, so a late event cannot turn back the clock. */
  async touch(id: string, at: Date): Promise<boolean> {
    const host = await this.hosts.findOneBy({ id });
    if (!host) return false;
    if (!host.lastSeenAt || host.lastSeenAt < at) await this.hosts.update({ id }, { lastSeenAt: at });
    return true;
  }
}
