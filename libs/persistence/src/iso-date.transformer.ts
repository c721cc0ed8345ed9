import type { ValueTransformer } from 'typeorm';

/**
 * Times are stored as ISO-8601 UTC strings (fixed width, so text order is time order) because that is
 * the one representation SQLite and Postgres compare identically in a conditional UPDATE.
 */
export const isoDate: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null) => (value === null ? null : new Date(value)),
};

/** The stored form of a time, for repositories that compare times in a query condition. */
export const isoString = (at: Date): string => at.toISOString();
