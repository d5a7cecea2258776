import { isNullItem, stringItem, type MavenItem } from './items.ts';

/** A mutable list while parsing; frozen into `MavenItem`s at the end. */
interface Building {
  readonly items: (MavenItem | Building)[];
}

/**
 * `ComparableVersion.parseVersion` as Maven 3.8.7 ships it (checked against its bytecode and the
 * Debian `maven3-artifact` 3.8.7 jar): lower-cases the version, splits it at `.` (next item) and `-`
 * (next item in a new nested list), and at every switch between digits and non-digits (which also
 * opens a nested list); an empty part is 0; a qualifier that follows other items of its list goes
 * into a nested list of its own. Every list is then normalised by dropping trailing null items
 * (`1.0.0` = `1`, `1-ga` = `1`). Digits are ASCII 0-9 here, where Java's `Character.isDigit` also
 * takes other scripts' digits.
 */
export function parseMavenVersion(version: string): readonly MavenItem[] {
  const text = version.toLowerCase();
  const root: Building = { items: [] };
  let list = root;
  let isDigit = false;
  let start = 0;
  const open = (): void => {
    const nested: Building = { items: [] };
    list.items.push(nested);
    list = nested;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '.' || char === '-') {
      list.items.push(i === start ? { kind: 'number', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (char === '-') open();
    } else if (char >= '0' && char <= '9') {
      if (!isDigit && i > start) {
        // 3.8.x: a qualifier after other items goes into a list of its own (`1.0.alpha1`).
        if (list.items.length > 0) open();
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    // 3.8.x: so does a trailing qualifier (`1.0.ga`).
    if (!isDigit && list.items.length > 0) open();
    list.items.push(parseItem(isDigit, text.slice(start)));
  }
  return freeze(root).items;
}

function parseItem(isDigit: boolean, text: string): MavenItem {
  return isDigit ? { kind: 'number', value: BigInt(text) } : stringItem(text, false);
}

/** Turns the building lists into items, normalising each list (innermost first, as Maven's stack does). */
function freeze(list: Building): { readonly kind: 'list'; readonly items: readonly MavenItem[] } {
  const items = list.items.map((item) => ('kind' in item ? item : freeze(item)));
  return { kind: 'list', items: normalize(items) };
}

/** `ListItem.normalize`: drop null items from the end, stepping over nested lists that are not null. */
function normalize(items: MavenItem[]): MavenItem[] {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item === undefined) continue;
    if (isNullItem(item)) items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
  return items;
}
