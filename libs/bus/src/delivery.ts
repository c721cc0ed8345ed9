/**
 * Handler extras for `@EventPattern(subject, EveryInstance)`: the event reaches every running instance of
 * the service instead of one of them (e.g. a relay's load, which each broker keeps in its own directory).
 */
export const EveryInstance = { everyInstance: true } as const;

export const reachesEveryInstance = (extras: Record<string, unknown> | undefined): boolean =>
  extras?.['everyInstance'] === true;
