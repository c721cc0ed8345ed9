import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const DEFAULT_TTL_MS = 10 * 60_000;
const MAX_DEVICES = 1024;

/**
 * Remembers for a few minutes that a device (its static key, proven by the channel) gave the right host
 * password, as an HMAC of that password under a key that exists only in this process. The same device
 * with the same password is then checked in microseconds instead of a full scrypt (~100 ms of CPU), so
 * opening a host again is fast; every other attempt still pays scrypt and the rate limiter. The password
 * itself is never kept, and a restart forgets everything.
 */
export class RecentLoginCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { mac: Buffer; expiresAt: number }>();

  constructor(
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  remember(device: Uint8Array, password: string): void {
    const id = Buffer.from(device).toString('base64url');
    this.entries.delete(id);
    if (this.entries.size >= MAX_DEVICES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { mac: this.mac(password), expiresAt: this.now() + this.ttlMs });
  }

  matches(device: Uint8Array, password: string): boolean {
    const id = Buffer.from(device).toString('base64url');
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return false;
    }
    return timingSafeEqual(entry.mac, this.mac(password));
  }

  private mac(password: string): Buffer {
    return createHmac('sha256', this.key).update(password.normalize('NFC')).digest();
  }
}
