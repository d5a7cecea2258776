import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import type { ComplianceFinding } from './compliance-finding.ts';
import type { ResolvedPolicy } from './compliance-policy.ts';
import type { ProhibitedSoftware } from './prohibited-software-entry.ts';
import { builtinProhibitedSoftware } from './prohibited-software-list.ts';

/** A regular file of the final filesystem with an execute bit set. */
export interface ImageExecutable {
  /** Relative to the image root, as the layer walk writes paths (`usr/local/bin/xmrig`). */
  readonly path: string;
  /** The layer whose copy of the file is the one in the final filesystem. */
  readonly layerIndex: number;
  /** Lower-case hex SHA-256 of the content, when the scan computed it. */
  readonly sha256?: string;
}

function relative(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '');
}

/**
 * The path and its other spelling on a merged-/usr system (`bin/nc` and `usr/bin/nc` are one file
 * there), so a package that lists one owns an executable found under the other.
 */
function spellings(path: string): string[] {
  const merged = /^(bin|sbin|lib|lib32|lib64|libx32)\//;
  if (merged.test(path)) return [path, `usr/${path}`];
  const unmerged = path.replace(/^usr\//, '');
  return unmerged !== path && merged.test(unmerged) ? [path, unmerged] : [path];
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function describe(entry: ProhibitedSoftware): string {
  const category = entry.category.replaceAll('-', ' ');
  return `${category.charAt(0).toUpperCase()}${category.slice(1)}: ${entry.reason}`;
}

/**
 * Prohibited software in the image: packages the list names in their ecosystem, and executables
 * with a listed file name that no package owns (a package that owns one is either reported by name
 * or is a different program that happens to share it). A listed digest matches whatever the file
 * is called and whoever owns it.
 */
export function prohibitedSoftwareFindings(
  packages: readonly InventoryPackage[],
  executables: readonly ImageExecutable[],
  policy: ResolvedPolicy,
): ComplianceFinding[] {
  const entries = [
    ...builtinProhibitedSoftware.filter((entry) => !policy.allowSoftware.includes(entry.id)),
    ...policy.prohibitedSoftware,
  ];
  const byPackage = new Map<string, ProhibitedSoftware>();
  const byBinary = new Map<string, ProhibitedSoftware>();
  const byDigest = new Map<string, ProhibitedSoftware>();
  for (const entry of entries) {
    for (const [ecosystem, names] of Object.entries(entry.packages))
      for (const name of names ?? []) byPackage.set(`${ecosystem}\u0000${name}`, entry);
    for (const binary of entry.binaries) byBinary.set(binary, entry);
    for (const digest of entry.sha256 ?? []) byDigest.set(digest.toLowerCase(), entry);
  }

  const findings: ComplianceFinding[] = [];
  const owned = new Set<string>();
  for (const pkg of packages) {
    for (const file of pkg.files ?? []) owned.add(relative(file));
    const entry = byPackage.get(`${pkg.ecosystem}\u0000${pkg.name}`);
    if (!entry) continue;
    findings.push({
      type: 'prohibited',
      severity: entry.severity,
      software: pkg.name,
      version: pkg.version,
      ecosystem: pkg.ecosystem,
      purl: pkg.purl,
      path: pkg.path,
      layerIndex: pkg.layer.index,
      reason: `${describe(entry)} Installed as a package.`,
      rule: `prohibited:${entry.id}`,
    });
  }

  for (const executable of executables) {
    const path = relative(executable.path);
    const name = basename(path);
    const digestEntry = executable.sha256 ? byDigest.get(executable.sha256.toLowerCase()) : undefined;
    const nameEntry = spellings(path).some((spelling) => owned.has(spelling))
      ? undefined
      : byBinary.get(name);
    const entry = digestEntry ?? nameEntry;
    if (!entry) continue;
    const how = digestEntry
      ? 'Found as an executable whose SHA-256 digest matches a known build.'
      : 'Found as an executable of that name that no package owns.';
    findings.push({
      type: 'prohibited',
      severity: entry.severity,
      software: name,
      path,
      layerIndex: executable.layerIndex,
      reason: `${describe(entry)} ${how}`,
      rule: `prohibited:${entry.id}`,
    });
  }
  return findings;
}
