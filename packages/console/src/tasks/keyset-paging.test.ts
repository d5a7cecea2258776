import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keysetPage, keysetWindow, type KeysetCursor } from './keyset-paging.ts';

interface Row {
  readonly id: string;
  readonly at: string;
}

/** What the API does: rows before `to`, newest first, at most `limit`. */
function answer(rows: readonly Row[], window: { readonly to?: string; readonly limit: number }): Row[] {
  return rows
    .filter((row) => window.to === undefined || Date.parse(row.at) < Date.parse(window.to))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, window.limit);
}

/** Pages through `rows` as the console does, returning each page's ids. */
function walk(rows: readonly Row[], pageSize: number): string[][] {
  const pages: string[][] = [];
  let cursor: KeysetCursor | undefined;
  for (;;) {
    const page = keysetPage(answer(rows, keysetWindow(cursor, pageSize)), cursor, pageSize, (row) => row.at);
    pages.push(page.rows.map((row) => row.id));
    if (!page.next) return pages;
    cursor = page.next;
  }
}

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

test('pages through distinct instants, newest first, and knows the last page', () => {
  const rows = Array.from({ length: 7 }, (_unused, index) => ({ id: `t${index}`, at: at(index * 1000) }));
  assert.deepEqual(walk(rows, 3), [['t6', 't5', 't4'], ['t3', 't2', 't1'], ['t0']]);
  assert.deepEqual(walk(rows.slice(0, 3), 3), [['t2', 't1', 't0']]);
  assert.deepEqual(walk([], 3), [[]]);
});

test('rows of one millisecond across page ends are neither skipped nor repeated', () => {
  const rows = [
    { id: 'a', at: at(5000) },
    ...['b', 'c', 'd', 'e', 'f'].map((id) => ({ id, at: at(3000) })),
    { id: 'g', at: at(1000) },
  ];
  const pages = walk(rows, 2);
  const seen = pages.flat();
  assert.deepEqual([...seen].sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.equal(new Set(seen).size, seen.length);
  assert.deepEqual(pages.at(-1), ['g']);
  assert.ok(pages.slice(0, -1).every((page) => page.length === 2));
});
