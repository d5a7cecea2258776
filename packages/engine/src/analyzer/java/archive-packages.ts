import type { PackageRecord } from '../fact.ts';
import {
  fileNameCoordinates,
  isPomProperties,
  manifestCoordinates,
  pomCoordinates,
  repositoryGroupId,
} from './archive-identity.ts';
import { parseJavaProperties } from './java-properties.ts';
import { parseManifest } from './manifest.ts';
import { mavenPackage, type MavenCoordinates } from './maven-package.ts';
import { readZipDirectory, readZipMember, type InflateBudget, type ZipEntry } from '../zip-archive.ts';

const MiB = 1024 * 1024;

/** Bounds of one archive walk, nested archives included. */
export interface ArchiveLimits {
  /** Archive nesting below the file itself (a jar in a war in an ear is depth 2). */
  readonly maxDepth: number;
  /** Bytes inflated over the whole walk. */
  readonly inflateBytes: number;
  /** Central directory entries read over the whole walk. */
  readonly entries: number;
  /** Nested archives opened over the whole walk. */
  readonly nestedArchives: number;
  /** Largest pom.properties or MANIFEST.MF read. */
  readonly metadataBytes: number;
  /** Largest nested archive read. */
  readonly nestedArchiveBytes: number;
}

export const defaultArchiveLimits: ArchiveLimits = {
  maxDepth: 3,
  inflateBytes: 512 * MiB,
  entries: 500_000,
  nestedArchives: 10_000,
  metadataBytes: 1 * MiB,
  nestedArchiveBytes: 128 * MiB,
};

/** Something that could not be read, with its location inside the archive (`app.war!/WEB-INF/lib/x.jar`). */
export interface ArchiveProblem {
  /** `parse_error` for damage, `file_too_large` for what a limit kept from being read. */
  readonly code: 'parse_error' | 'file_too_large';
  readonly message: string;
}

export interface ArchiveScan {
  readonly packages: readonly PackageRecord[];
  /** At most 20. */
  readonly problems: readonly ArchiveProblem[];
}

const archiveSuffixes = ['.jar', '.war', '.ear', '.par', '.jpi', '.hpi'];

/** Java archive kinds read, nested or not: jar, war, ear, par, and Jenkins plugins (jpi, hpi). */
export function isJavaArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return archiveSuffixes.some((suffix) => lower.endsWith(suffix));
}

const maxProblems = 20;

interface WalkState {
  readonly limits: ArchiveLimits;
  readonly budget: InflateBudget;
  entriesLeft: number;
  nestedLeft: number;
  readonly packages: Map<string, PackageRecord>;
  readonly problems: ArchiveProblem[];
}

function problem(state: WalkState, code: ArchiveProblem['code'], message: string): void {
  if (state.problems.length < maxProblems) state.problems.push({ code, message });
}

function add(state: WalkState, coordinates: MavenCoordinates, licenses: readonly string[] = []): void {
  const pkg = mavenPackage(coordinates, { licenses });
  if (pkg === undefined) return;
  const key = `${pkg.name}@${pkg.version}`;
  if (!state.packages.has(key)) state.packages.set(key, pkg);
}

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function member(
  state: WalkState,
  zip: Buffer,
  entry: ZipEntry,
  limit: number,
  where: string,
): Buffer | undefined {
  const read = readZipMember(zip, entry, limit, state.budget);
  if (read.ok) return read.content;
  if (read.reason === 'too_large')
    problem(state, 'file_too_large', `${where}!/${entry.name}: over the size or inflate limit, not read`);
  else problem(state, 'parse_error', `${where}!/${entry.name}: ${read.reason} member`);
  return undefined;
}

/**
 * One archive: its pom.properties (every one of them: shaded jars carry those of what they shade),
 * then — when none of them is the archive itself, judged by its file name (`<artifactId>-<version>`,
 * perhaps with a classifier, or at least the artifactId: Debian renames versions to `3.x`) — the
 * manifest's coordinates, or else the file name's; then its nested archives, depth first.
 */
function walk(state: WalkState, zip: Buffer, where: string, name: string, path: string, depth: number): void {
  const directory = readZipDirectory(zip, state.entriesLeft);
  if (!directory.ok) {
    problem(state, 'parse_error', `${where}: ${directory.error}`);
    return;
  }
  state.entriesLeft -= directory.entries.length;
  if (directory.truncated)
    problem(state, 'parse_error', `${where}: central directory cut short or over the entry limit`);
  const poms: MavenCoordinates[] = [];
  let manifest: ReadonlyMap<string, string> | undefined;
  const nested: ZipEntry[] = [];
  for (const entry of directory.entries) {
    if (isPomProperties(entry.name)) {
      const content = member(state, zip, entry, state.limits.metadataBytes, where);
      const coordinates =
        content === undefined ? undefined : pomCoordinates(parseJavaProperties(content.toString('utf8')));
      if (coordinates !== undefined) poms.push(coordinates);
    } else if (entry.name.toUpperCase() === 'META-INF/MANIFEST.MF') {
      const content = member(state, zip, entry, state.limits.metadataBytes, where);
      if (content !== undefined) manifest = parseManifest(content.toString('utf8'));
    } else if (isJavaArchiveName(entry.name) && !entry.name.endsWith('/')) {
      nested.push(entry);
    }
  }
  const fromName = fileNameCoordinates(name);
  for (const coordinates of poms) add(state, coordinates);
  const stem = name.replace(/\.[A-Za-z]+$/, '');
  const ownPom =
    poms.length > 0 &&
    (fromName === undefined ||
      poms.some(
        (pom) =>
          pom.artifactId === fromName.artifactId ||
          stem === `${pom.artifactId}-${pom.version}` ||
          stem.startsWith(`${pom.artifactId}-${pom.version}-`),
      ));
  if (!ownPom) {
    const fromManifest = manifest === undefined ? undefined : manifestCoordinates(manifest, fromName);
    if (fromManifest !== undefined) {
      const license = manifest?.get('bundle-license');
      add(state, fromManifest, license === undefined || license === '' ? [] : [license]);
    } else if (fromName !== undefined) {
      add(state, { ...fromName, groupId: repositoryGroupId(path, fromName.artifactId, fromName.version) });
    }
  }
  let depthReported = false;
  for (const entry of nested) {
    const inner = `${where}!/${entry.name}`;
    if (depth >= state.limits.maxDepth) {
      if (!depthReported)
        problem(
          state,
          'file_too_large',
          `${inner}: nested deeper than ${state.limits.maxDepth} archives, not read`,
        );
      depthReported = true;
      continue;
    }
    if (state.nestedLeft <= 0) {
      problem(
        state,
        'file_too_large',
        `${inner}: over the limit of ${state.limits.nestedArchives} nested archives, not read`,
      );
      return;
    }
    state.nestedLeft--;
    const content = member(state, zip, entry, state.limits.nestedArchiveBytes, where);
    if (content !== undefined) walk(state, content, inner, baseName(entry.name), '', depth + 1);
  }
}

/**
 * The Maven packages in a Java archive and the archives nested in it. `path` is the archive's
 * path in the image (its name and, in a Maven or Gradle repository layout, its groupId).
 */
export function scanJavaArchive(
  content: Buffer,
  path: string,
  limits: ArchiveLimits = defaultArchiveLimits,
): ArchiveScan {
  const state: WalkState = {
    limits,
    budget: { remaining: limits.inflateBytes },
    entriesLeft: limits.entries,
    nestedLeft: limits.nestedArchives,
    packages: new Map(),
    problems: [],
  };
  walk(state, content, baseName(path), baseName(path), path, 0);
  return { packages: [...state.packages.values()], problems: state.problems };
}
