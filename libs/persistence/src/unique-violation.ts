/** True when a write failed on a unique constraint (SQLite and Postgres). */
export function isUniqueViolation(error: unknown): boolean {
  const details = error as { code?: unknown; message?: unknown };
  return (
    details.code === '23505' ||
    (typeof details.message === 'string' && details.message.includes('UNIQUE constraint failed'))
  );
}
