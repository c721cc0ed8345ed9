import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccountPolicy, Host, isUniqueViolation, ReusableSelect } from '@hostlink/persistence';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';
import { Repository } from 'typeorm';

/** What connecting needs of a host, and its account's policy read in the same query. */
export interface ConnectTarget {
  id: string;
  accountId: string;
  ownerUserId: string;
  name: string;
  publicKey: string;
  /** The account's stored policy rules as the database keeps them (JSON text); null when it has none. */
  policyRules: string | null;
}

/** A row of the host list; times as stored (ISO-8601 UTC text). */
export interface ListedHost {
  id: string;
  name: string;
  os: string;
  enrolledAt: string;
  lastSeenAt: string | null;
}

@Injectable()
export class HostRepository {
  /** Every connect runs this: one round trip for the host and its policy, SQL written once. */
  private readonly connectTargets: ReusableSelect<'hostId', ConnectTarget>;
  /** Listings of a thousand hosts: raw rows, no entity per host. */
  private readonly accountHosts: ReusableSelect<'accountId', ListedHost>;
  private readonly ownerHosts: ReusableSelect<'accountId' | 'ownerUserId', ListedHost>;

  constructor(@InjectRepository(Host) private readonly hosts: Repository<Host>) {
    const dataSource = hosts.manager.dataSource;
    this.connectTargets = new ReusableSelect(dataSource, ['hostId'], (source) =>
      source
        .createQueryBuilder(Host, 'host')
        .select('host.id', 'id')
        .addSelect('host.accountId', 'accountId')
        .addSelect('host.ownerUserId', 'ownerUserId')
        .addSelect('host.name', 'name')
        .addSelect('host.publicKey', 'publicKey')
        .leftJoin(AccountPolicy, 'policy', 'policy.accountId = host.accountId')
        .addSelect('policy.rules', 'policyRules')
        .where('host.id = :hostId'),
    );
    const listed = (source: typeof dataSource) =>
      source
        .createQueryBuilder(Host, 'host')
        .select('host.id', 'id')
        .addSelect('host.name', 'name')
        .addSelect('host.os', 'os')
        .addSelect('host.enrolledAt', 'enrolledAt')
        .addSelect('host.lastSeenAt', 'lastSeenAt')
        .where('host.accountId = :accountId')
        .orderBy('host.name', 'ASC')
        .addOrderBy('host.id', 'ASC');
    this.accountHosts = new ReusableSelect(dataSource, ['accountId'], listed);
    this.ownerHosts = new ReusableSelect(dataSource, ['accountId', 'ownerUserId'], (source) =>
      listed(source).andWhere('host.ownerUserId = :ownerUserId'),
    );
  }

  findById(id: string): Promise<Host | null> {
    return this.hosts.findOneBy({ id });
  }

  async connectTarget(hostId: string): Promise<ConnectTarget | undefined> {
    return (await this.connectTargets.rows({ hostId }))[0];
  }

  /** Hosts of an account, all of them or only one owner's, by name. */
  list(accountId: string, ownerUserId?: string): Promise<ListedHost[]> {
    return ownerUserId === undefined
      ? this.accountHosts.rows({ accountId })
      : this.ownerHosts.rows({ accountId, ownerUserId });
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
