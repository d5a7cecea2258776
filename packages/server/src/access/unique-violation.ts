/**
 * Whether a database error is a unique-constraint violation (SQLSTATE 23505), which PostgreSQL and
 * PGlite both report in the error's `code`; it turns a lost insert race into a `conflict`.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('code' in error && error.code === '23505') return true;
  return error instanceof Error && /duplicate key value violates unique constraint/.test(error.message);
}
