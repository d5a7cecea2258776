import { sql, type RawBuilder } from 'kysely';

/**
 * `column = any(values)` with the whole list as one array parameter, for lists of ids that grow
 * with the data: `in (…)` sends one bind parameter per value, and the PostgreSQL protocol counts
 * them in 16 bits, so a project of 100,000 images would fail. Use as `.where(column, '=', anyOf(ids))`.
 */
export function anyOf(values: Iterable<string>): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}
