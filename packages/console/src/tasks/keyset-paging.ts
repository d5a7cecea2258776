/**
 * Paging over the task lists, which the API answers newest first with a `limit` and a `to`
 * ("before this instant") but without an offset or a total. Each page after the first starts just
 * after the last row of the page before: it asks for rows before that row's instant plus one
 * millisecond and leaves out the rows already shown at that instant, so tasks created in the same
 * millisecond are neither skipped nor shown twice. One more row than the page holds is asked for,
 * to know whether an older page exists.
 */

export const taskPageSizes = [10, 20, 50, 100] as const;
export const defaultTaskPageSize = 20;

/** Where a page after the first starts. */
export interface KeysetCursor {
  /** Exclusive upper bound of the instants (RFC 3339). */
  readonly before: string;
  /** Rows at the bound's last millisecond that earlier pages already showed. */
  readonly seenIds: readonly string[];
}

export interface KeysetPage<T> {
  readonly rows: readonly T[];
  readonly hasOlder: boolean;
  /** The start of the next (older) page; undefined when there is none. */
  readonly next: KeysetCursor | undefined;
}

/** The `to` and `limit` of the list query for a page. */
export function keysetWindow(
  cursor: KeysetCursor | undefined,
  pageSize: number,
): { readonly to?: string; readonly limit: number } {
  if (!cursor) return { limit: pageSize + 1 };
  return { to: cursor.before, limit: pageSize + cursor.seenIds.length + 1 };
}

/** The page within an answer to `keysetWindow(cursor, pageSize)`; `at` gives a row's instant. */
export function keysetPage<T extends { readonly id: string }>(
  answer: readonly T[],
  cursor: KeysetCursor | undefined,
  pageSize: number,
  at: (row: T) => string,
): KeysetPage<T> {
  const seen = new Set(cursor?.seenIds ?? []);
  const fresh = answer.filter((row) => !seen.has(row.id));
  const rows = fresh.slice(0, pageSize);
  const hasOlder = fresh.length > pageSize;
  const last = rows.at(-1);
  if (!hasOlder || !last) return { rows, hasOlder, next: undefined };
  const lastMs = Date.parse(at(last));
  const before = new Date(lastMs + 1).toISOString();
  const atLast = rows.filter((row) => Date.parse(at(row)) === lastMs).map((row) => row.id);
  // Rows of that millisecond shown on earlier pages stay left out too.
  const carried = cursor && cursor.before === before ? cursor.seenIds : [];
  return { rows, hasOlder, next: { before, seenIds: [...carried, ...atLast] } };
}
