import type { DetectedOs } from '../../inventory/coalesce-os.ts';
import type { InventoryPackage } from '../../inventory/coalesce-packages.ts';
import type { ComplianceFinding, ComplianceSeverity } from './compliance-finding.ts';
import type { ResolvedPolicy } from './compliance-policy.ts';
import { endOfLifeTable, type EndOfLifeProductId } from './end-of-life-table.ts';
import { runtimeReleaseOf } from './runtime-release.ts';

const dayMs = 24 * 60 * 60 * 1000;

function leading(versionId: string, parts: number): string {
  return versionId.split('.').slice(0, parts).join('.');
}

/** The table's product and cycle for the image's OS, when the table can judge it. */
export function osRelease(os: DetectedOs): { product: EndOfLifeProductId; cycle: string } | undefined {
  const version = os.versionId;
  if (!version || !/^\d/.test(version)) return undefined;
  switch (os.id) {
    case 'debian':
      return { product: 'debian', cycle: leading(version, 1) };
    case 'ubuntu':
      return { product: 'ubuntu', cycle: leading(version, 2) };
    case 'alpine':
      return { product: 'alpine', cycle: leading(version, 2) };
    case 'rhel':
      return { product: 'rhel', cycle: leading(version, 1) };
    case 'almalinux':
      return { product: 'almalinux', cycle: leading(version, 1) };
    case 'rocky':
      return { product: 'rocky', cycle: leading(version, 1) };
    case 'centos':
      // CentOS Stream keeps ID=centos; only its name tells it apart.
      return { product: /stream/i.test(os.name) ? 'centos-stream' : 'centos', cycle: leading(version, 1) };
    case 'amzn':
      return { product: 'amazon-linux', cycle: version };
    case 'sles':
    case 'sle_hpc':
    case 'sled':
      return { product: 'sles', cycle: leading(version, 2) };
    case 'opensuse-leap':
      return { product: 'opensuse-leap', cycle: leading(version, 2) };
    case 'fedora':
      return { product: 'fedora', cycle: leading(version, 1) };
    default:
      return undefined;
  }
}

interface Judgement {
  readonly status: 'past' | 'approaching';
  readonly eol: string;
}

/** Past once the last supported day has ended (UTC); approaching within the policy's notice. */
function judge(
  product: EndOfLifeProductId,
  cycle: string,
  now: Date,
  noticeDays: number,
): Judgement | undefined {
  const release = endOfLifeTable[product].releases.find((entry) => entry.cycle === cycle);
  if (!release) return undefined;
  const end = Date.parse(`${release.eol}T00:00:00Z`) + dayMs;
  if (now.getTime() >= end) return { status: 'past', eol: release.eol };
  if (noticeDays > 0 && end - now.getTime() <= noticeDays * dayMs)
    return { status: 'approaching', eol: release.eol };
  return undefined;
}

function ruleOf(judgement: Judgement, product: EndOfLifeProductId, cycle: string): string {
  return `${judgement.status === 'past' ? 'eol' : 'eol-approaching'}:${product}-${cycle}`;
}

function statement(judgement: Judgement, label: string): string {
  return judgement.status === 'past'
    ? `${label} reached its end of life on ${judgement.eol}: it gets no more security fixes.`
    : `${label} reaches its end of life on ${judgement.eol}: plan the upgrade.`;
}

/**
 * Operating system and language runtime releases past (or, within the policy's notice, near)
 * their end of life. The OS counts at high severity: every package of the image stops getting
 * fixes. A runtime from an OS package counts medium (its distribution may backport fixes while the
 * OS release is supported); one built into an application (Go's standard library, a .NET runtime
 * pack) counts high, since only a rebuild replaces it. Each runtime release is reported once.
 */
export function endOfLifeFindings(
  os: DetectedOs | undefined,
  packages: readonly InventoryPackage[],
  now: Date,
  policy: ResolvedPolicy,
): ComplianceFinding[] {
  const findings: ComplianceFinding[] = [];
  const release = os ? osRelease(os) : undefined;
  if (os && release) {
    const judgement = judge(release.product, release.cycle, now, policy.endOfLifeNoticeDays);
    if (judgement) {
      const label = `${endOfLifeTable[release.product].name} ${release.cycle}`;
      findings.push({
        type: 'end-of-life',
        severity: judgement.status === 'past' ? 'high' : 'low',
        software: label,
        ...(os.versionId ? { version: os.versionId } : {}),
        path: os.path,
        layerIndex: os.layerIndex,
        reason: statement(judgement, label),
        rule: ruleOf(judgement, release.product, release.cycle),
      });
    }
  }

  const reported = new Set<string>();
  for (const pkg of packages) {
    const runtime = runtimeReleaseOf(pkg);
    if (!runtime) continue;
    const key = `${runtime.product}-${runtime.cycle}`;
    if (reported.has(key)) continue;
    const judgement = judge(runtime.product, runtime.cycle, now, policy.endOfLifeNoticeDays);
    if (!judgement) continue;
    reported.add(key);
    const bundled = pkg.ecosystem === 'golang' || pkg.ecosystem === 'nuget';
    const severity: ComplianceSeverity =
      judgement.status === 'approaching' ? 'low' : bundled ? 'high' : 'medium';
    const label = `${endOfLifeTable[runtime.product].name} ${runtime.cycle}`;
    const source = bundled
      ? ' It is built into the application; only a rebuild with a supported release replaces it.'
      : judgement.status === 'past'
        ? ' The distribution may still backport fixes to its package while the OS release is supported.'
        : '';
    findings.push({
      type: 'end-of-life',
      severity,
      software: pkg.name,
      version: pkg.version,
      ecosystem: pkg.ecosystem,
      purl: pkg.purl,
      path: pkg.path,
      layerIndex: pkg.layer.index,
      reason: `${statement(judgement, label)}${source}`,
      rule: ruleOf(judgement, runtime.product, runtime.cycle),
    });
  }
  return findings;
}
