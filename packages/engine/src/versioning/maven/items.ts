/**
 * The item tree of Maven's `ComparableVersion` (Maven 3.8.7,
 * maven-artifact/src/main/java/org/apache/maven/artifact/versioning/ComparableVersion.java;
 * https://maven.apache.org/pom.html#version-order-specification): a version is a list of number
 * items and string items; a `-`, or a switch between digits and letters, opens a nested list.
 */
export type MavenItem =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly MavenItem[] };

/** Known qualifiers in order; unknown ones sort after all of them, lexically. */
const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'] as const;
const aliases: ReadonlyMap<string, string> = new Map([
  ['ga', ''],
  ['final', ''],
  ['release', ''],
  ['cr', 'rc'],
]);
const releaseRank = String(qualifiers.indexOf(''));

/** `StringItem`'s constructor: `a1` = alpha-1, `b1` = beta-1, `m1` = milestone-1, then the aliases. */
export function stringItem(text: string, followedByDigit: boolean): MavenItem {
  let value = text;
  if (followedByDigit && value.length === 1) {
    if (value === 'a') value = 'alpha';
    else if (value === 'b') value = 'beta';
    else if (value === 'm') value = 'milestone';
  }
  return { kind: 'string', value: aliases.get(value) ?? value };
}

/**
 * `StringItem.comparableQualifier`: the index of a known qualifier, else `7-<qualifier>`, compared
 * as strings (so `7-abc` sorts after every index and unknown qualifiers sort lexically).
 */
export function comparableQualifier(value: string): string {
  const index = qualifiers.findIndex((qualifier) => qualifier === value);
  return index === -1 ? `${qualifiers.length}-${value}` : String(index);
}

/** Whether an item is "null" (`isNull`): 0, the release qualifier, or an empty list. */
export function isNullItem(item: MavenItem): boolean {
  switch (item.kind) {
    case 'number':
      return item.value === 0n;
    case 'string':
      return comparableQualifier(item.value) === releaseRank;
    case 'list':
      return item.items.length === 0;
  }
}

/** `Item.compareTo`; `undefined` stands for the missing item of a shorter list. Returns -1, 0 or 1. */
export function compareItems(item: MavenItem, other: MavenItem | undefined): number {
  switch (item.kind) {
    case 'number':
      if (other === undefined) return item.value === 0n ? 0 : 1;
      if (other.kind === 'number') return item.value === other.value ? 0 : item.value < other.value ? -1 : 1;
      return 1;
    case 'string':
      if (other === undefined) return compareStrings(comparableQualifier(item.value), releaseRank);
      if (other.kind === 'string')
        return compareStrings(comparableQualifier(item.value), comparableQualifier(other.value));
      return -1;
    case 'list':
      if (other === undefined) {
        // 3.8.x: the first item that differs from "nothing" decides (`1-0-sp` > `1`).
        for (const child of item.items) {
          const order = compareItems(child, undefined);
          if (order !== 0) return order;
        }
        return 0;
      }
      if (other.kind === 'number') return -1;
      if (other.kind === 'string') return 1;
      return compareLists(item.items, other.items);
  }
}

function compareLists(left: readonly MavenItem[], right: readonly MavenItem[]): number {
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const l = left[i];
    const r = right[i];
    const order = l === undefined ? (r === undefined ? 0 : -compareItems(r, undefined)) : compareItems(l, r);
    if (order !== 0) return order;
  }
  return 0;
}

/** Java's `String.compareTo` sign: UTF-16 code units, then length — the same as JavaScript's `<`. */
function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
