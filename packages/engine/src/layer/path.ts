/**
 * Normalising tar entry names into root-relative paths. A layer is read as the root filesystem of
 * an image, never extracted, so names are resolved lexically and clamped at the root: a hostile
 * `../../etc/passwd` becomes `etc/passwd` (and is reported), it can never point outside the image.
 */

export interface PathLimits {
  readonly maxPathLength: number;
  readonly maxPathDepth: number;
}

export interface NormalisedPath {
  /** Relative to the image root: no leading `/`, no `.` or `..` segments, no empty segments. `''` is the root. */
  readonly path: string;
  /** The name was absolute (`/etc/passwd`); it is read relative to the image root. */
  readonly absolute: boolean;
  /** A `..` tried to climb above the root and was clamped there. */
  readonly escaped: boolean;
  /** Longer than `maxPathLength` or deeper than `maxPathDepth` after normalisation: the entry is skipped. */
  readonly tooLong: boolean;
}

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * Normalises one tar entry name (or hardlink target). Most names in real layers are already clean
 * (`usr/bin/env`, `./usr/bin/env`), so a single scan decides whether the slow, splitting path is needed.
 */
export function normaliseEntryPath(name: string, limits: PathLimits): NormalisedPath {
  let start = 0;
  while (name.startsWith('./', start)) start += 2;
  const depth = cleanDepth(name, start);
  if (depth >= 0) {
    const path = start === 0 ? name : name.slice(start);
    return { path, absolute: false, escaped: false, tooLong: isTooLong(path, depth, limits) };
  }
  return normaliseSlow(name, limits);
}

/** Number of segments when `name` (from `start`) is already normal, else -1. The empty string is clean (the root). */
function cleanDepth(name: string, start: number): number {
  const end = name.length;
  if (start === end) return 0;
  let depth = 1;
  let segmentStart = start;
  for (let i = start; i <= end; i++) {
    const code = i === end ? SLASH : name.charCodeAt(i);
    if (code !== SLASH) continue;
    const length = i - segmentStart;
    if (length === 0) return -1;
    if (
      name.charCodeAt(segmentStart) === DOT &&
      (length === 1 || (length === 2 && name.charCodeAt(segmentStart + 1) === DOT))
    ) {
      return -1;
    }
    if (i !== end) depth++;
    segmentStart = i + 1;
  }
  return depth;
}

function normaliseSlow(name: string, limits: PathLimits): NormalisedPath {
  const absolute = name.charCodeAt(0) === SLASH;
  let escaped = false;
  const segments: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) escaped = true;
      else segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const path = segments.join('/');
  return { path, absolute, escaped, tooLong: isTooLong(path, segments.length, limits) };
}

function isTooLong(path: string, depth: number, limits: PathLimits): boolean {
  return path.length > limits.maxPathLength || depth > limits.maxPathDepth;
}

/** The directory part of a normalised path (`''` for a top-level name). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** The last segment of a normalised path. */
export function baseNameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * Whether a relative symlink target, read from the directory holding the link, climbs above the
 * image root (`usr/lib/x -> ../../../etc/passwd`). Absolute targets are relative to the image root
 * and never escape. Such links are clamped when resolved; this only decides whether to report one.
 */
export function symlinkEscapesRoot(linkPath: string, target: string): boolean {
  if (target.charCodeAt(0) === SLASH || !target.includes('..')) return false;
  let depth = linkPath === '' ? 0 : countSegments(linkPath) - 1;
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') {
      depth++;
      continue;
    }
    if (depth === 0) return true;
    depth--;
  }
  return false;
}

function countSegments(path: string): number {
  let count = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === SLASH) count++;
  return count;
}
