/**
 * The findings the API benchmark's reports are assembled from (bench/api-data.ts). Each pool entry
 * is typed with the engine's own report types, so a stored report has exactly the shape a scan
 * writes; the database then picks entries per result with set-based SQL. Pools are deterministic
 * (a seeded generator), so two runs store the same data.
 */
import type {
  BaselineCheckResult,
  ComplianceFinding,
  ComplianceResult,
  Ecosystem,
  ImageReport,
  InventoryPackage,
  LayerReport,
  MalwareFinding,
  SecretFinding,
  Severity,
  VulnerabilityFinding,
} from '@drydock/engine';

/** Pool sizes are primes: picks walk a pool with a stride, and a prime size keeps them distinct. */
export const poolSizes = {
  vulnerability: 20_011,
  package: 8_009,
  secret: 211,
  malware: 13,
  baseline: 13,
  compliance: 307,
} as const;

/** A pool entry as loaded into the database: its index, the severity the SQL counts, the JSON. */
export interface PoolEntry {
  readonly n: number;
  readonly severity: string;
  readonly doc: string;
  /** Vulnerabilities: the index of their package in the package pool. */
  readonly packageN?: number;
  /** Baseline checks: the same check as it reads when it passes. */
  readonly passDoc?: string;
}

export interface FindingPools {
  readonly vulnerability: readonly PoolEntry[];
  readonly package: readonly PoolEntry[];
  readonly secret: readonly PoolEntry[];
  readonly malware: readonly PoolEntry[];
  readonly baseline: readonly PoolEntry[];
  readonly compliance: readonly PoolEntry[];
}

/** mulberry32: a small seeded generator; quality is ample for picking words. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function hex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 16).toString(16);
  return text;
}

/** Weighted choice: `weights` maps each value to its share. */
function weighted<T extends string>(random: () => number, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let left = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of entries) {
    left -= weight;
    if (left < 0) return value;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('no weights');
  return last[0];
}

const layerInstructions = [
  '/bin/sh -c #(nop) ADD file:3b1f2c9d in / ',
  'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates curl # buildkit',
  'COPY package.json package-lock.json ./ # buildkit',
  'RUN /bin/sh -c npm ci --omit=dev # buildkit',
  'COPY . /app # buildkit',
];

/** The layers every report's findings point into (a Debian base, system packages, the app). */
function layerRefs(random: () => number): VulnerabilityFinding['package']['layer'][] {
  return layerInstructions.map((createdBy, index) => ({
    index,
    digest: `sha256:${hex(random, 64)}`,
    diffId: `sha256:${hex(random, 64)}`,
    createdBy,
  }));
}

const ecosystemShares: Readonly<Record<Ecosystem, number>> = {
  deb: 40,
  npm: 20,
  pypi: 10,
  golang: 10,
  maven: 8,
  rpm: 5,
  apk: 5,
  gem: 1,
  cargo: 1,
  composer: 0,
  nuget: 0,
};

const syllables = ['lib', 'core', 'net', 'ssl', 'xml', 'json', 'http', 'crypt', 'zip', 'yaml', 'log', 'util'];
const suffixes = ['', '-utils', '-common', '-parser', '-client', '2', '-dev', '-bin', '-core'];

interface PackageSpec {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly path: string;
  readonly layerIndex: number;
}

function packageSpec(random: () => number, n: number): PackageSpec {
  const ecosystem = weighted(random, ecosystemShares);
  const stem = `${pick(random, syllables)}${pick(random, syllables)}${pick(random, suffixes)}`;
  const name =
    ecosystem === 'maven'
      ? `org.${stem}:${stem}-${n}`
      : ecosystem === 'golang'
        ? `github.com/${stem}/${stem}-${n}`
        : `${stem}-${n}`;
  const major = Math.floor(random() * 5);
  const version =
    ecosystem === 'deb'
      ? `${major}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}-${1 + Math.floor(random() * 4)}+deb12u${Math.floor(random() * 3)}`
      : `${major}.${Math.floor(random() * 30)}.${Math.floor(random() * 15)}`;
  const purlType = ecosystem === 'golang' ? 'golang' : ecosystem;
  const path =
    ecosystem === 'deb'
      ? 'var/lib/dpkg/status'
      : ecosystem === 'npm'
        ? `app/node_modules/${name}/package.json`
        : ecosystem === 'pypi'
          ? `usr/lib/python3/dist-packages/${name}-${version}.dist-info/METADATA`
          : ecosystem === 'golang'
            ? 'usr/local/bin/app'
            : ecosystem === 'maven'
              ? `app/lib/${stem}-${version}.jar`
              : ecosystem === 'rpm'
                ? 'var/lib/rpm/rpmdb.sqlite'
                : ecosystem === 'apk'
                  ? 'lib/apk/db/installed'
                  : `app/vendor/${name}`;
  const layerIndex = ['deb', 'rpm', 'apk'].includes(ecosystem) ? 1 : 3;
  return { ecosystem, name, version, purl: `pkg:${purlType}/${name}@${version}`, path, layerIndex };
}

const licenses = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-2.0-only', 'LGPL-2.1-or-later', 'ISC', 'MPL-2.0'];
const osvEcosystem: Readonly<Record<Ecosystem, string>> = {
  deb: 'Debian:12',
  apk: 'Alpine:v3.19',
  rpm: 'AlmaLinux:8',
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  composer: 'Packagist',
  nuget: 'NuGet',
};
const schemeOf: Readonly<Record<Ecosystem, VulnerabilityFinding['evidence']['scheme']>> = {
  deb: 'dpkg',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'semver',
  pypi: 'pep440',
  golang: 'go',
  maven: 'maven',
  gem: 'rubygems',
  cargo: 'cargo',
  composer: 'composer',
  nuget: 'nuget',
};

const severityShares: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 18,
  medium: 45,
  low: 28,
  unknown: 5,
};
const cvssScore: Readonly<Record<Severity, number>> = {
  critical: 9.8,
  high: 7.5,
  medium: 5.3,
  low: 3.1,
  unknown: 0,
};
const words = [
  'buffer',
  'overflow',
  'in',
  'the',
  'parser',
  'allows',
  'remote',
  'attackers',
  'to',
  'cause',
  'a',
  'denial',
  'of',
  'service',
  'via',
  'crafted',
  'input',
  'when',
  'handling',
  'malformed',
  'headers',
  'memory',
  'read',
  'out-of-bounds',
  'use-after-free',
  'integer',
];

function sentence(random: () => number, count: number): string {
  const text = Array.from({ length: count }, () => pick(random, words)).join(' ');
  return `${text.slice(0, 1).toUpperCase()}${text.slice(1)}.`;
}

function inventoryPackage(spec: PackageSpec, random: () => number, layers: ReturnType<typeof layerRefs>) {
  const layer = layers[spec.layerIndex] ?? layers[0];
  if (!layer) throw new Error('no layers');
  const pkg: InventoryPackage = {
    ecosystem: spec.ecosystem,
    name: spec.name,
    version: spec.version,
    purl: spec.purl,
    licenses: [pick(random, licenses)],
    ...(spec.ecosystem === 'deb'
      ? { source: { name: spec.name.replace(/-\d+$/, ''), version: spec.version }, arch: 'amd64' }
      : {}),
    path: spec.path,
    origin: spec.ecosystem === 'golang' ? 'binary' : spec.ecosystem === 'npm' ? 'lockfile' : 'installed',
    layer,
  };
  return pkg;
}

function vulnerability(
  random: () => number,
  n: number,
  spec: PackageSpec,
  layers: ReturnType<typeof layerRefs>,
): VulnerabilityFinding {
  const severity = weighted(random, severityShares);
  const year = 2018 + Math.floor(random() * 8);
  const cve = `CVE-${year}-${10_000 + n}`;
  const language = !['deb', 'rpm', 'apk'].includes(spec.ecosystem);
  const ghsa = `GHSA-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}`;
  const id = language ? ghsa : cve;
  const layer = layers[spec.layerIndex] ?? layers[0];
  if (!layer) throw new Error('no layers');
  const fixed = random() < 0.7 ? [`${spec.version.split('.')[0] ?? '1'}.99.0`] : [];
  return {
    id,
    aliases: language ? [cve] : [],
    status: 'affected',
    package: {
      ecosystem: spec.ecosystem,
      name: spec.name,
      version: spec.version,
      purl: spec.purl,
      path: spec.path,
      layer,
      ...(spec.ecosystem === 'deb'
        ? { source: { name: spec.name.replace(/-\d+$/, ''), version: spec.version } }
        : {}),
    },
    installedVersion: spec.version,
    fixedVersions: fixed,
    severity,
    ...(severity === 'unknown'
      ? {}
      : {
          cvss: {
            version: '3.1',
            score: cvssScore[severity],
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          },
        }),
    severitySource: language ? 'ghsa' : 'debian',
    summary: sentence(random, 8),
    description: `${sentence(random, 25)} ${sentence(random, 20)}`,
    references: [
      `https://nvd.nist.gov/vuln/detail/${cve}`,
      `https://github.com/advisories/${ghsa}`,
      `https://security-tracker.debian.org/tracker/${cve}`,
    ],
    published: `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}T00:00:00Z`,
    modified: '2025-06-01T00:00:00Z',
    evidence: {
      osvEcosystem: osvEcosystem[spec.ecosystem],
      osvPackage: spec.name,
      matchedBy: spec.ecosystem === 'deb' ? 'source' : 'name',
      scheme: schemeOf[spec.ecosystem],
      range:
        fixed[0] === undefined
          ? { kind: 'range', type: 'ECOSYSTEM', introduced: '0' }
          : { kind: 'range', type: 'ECOSYSTEM', introduced: '0', fixed: fixed[0] },
    },
  };
}

const secretRules = [
  { ruleId: 'aws-access-key-id', title: 'AWS access key id', severity: 'critical', category: 'cloud' },
  { ruleId: 'github-pat', title: 'GitHub personal access token', severity: 'critical', category: 'saas' },
  { ruleId: 'private-key-rsa', title: 'RSA private key', severity: 'high', category: 'private-key' },
  { ruleId: 'slack-webhook', title: 'Slack webhook URL', severity: 'medium', category: 'saas' },
  {
    ruleId: 'postgres-url-password',
    title: 'Password in a PostgreSQL URL',
    severity: 'high',
    category: 'database',
  },
  { ruleId: 'generic-password', title: 'Password assignment', severity: 'low', category: 'password' },
  { ruleId: 'npmrc-auth-token', title: 'npm auth token', severity: 'high', category: 'credential-file' },
] as const satisfies readonly Pick<SecretFinding, 'ruleId' | 'title' | 'severity' | 'category'>[];
const secretPaths = [
  'app/config/settings.py',
  'app/.env',
  'root/.aws/credentials',
  'home/app/.npmrc',
  'etc/app/config.yaml',
  'app/src/main/resources/application.properties',
  'config:env/DATABASE_URL',
];

function secret(random: () => number, n: number, layers: ReturnType<typeof layerRefs>): SecretFinding {
  const rule = pick(random, secretRules);
  const path = `${pick(random, secretPaths)}${n > secretPaths.length ? `.${n}` : ''}`;
  const config = path.startsWith('config:');
  const masked = `${hex(random, 4).toUpperCase()}************${hex(random, 4).toUpperCase()}`;
  const layer = layers[4];
  return {
    ruleId: rule.ruleId,
    title: rule.title,
    severity: rule.severity,
    category: rule.category,
    path,
    line: config ? 1 : 1 + Math.floor(random() * 200),
    ...(config ? {} : { column: 1 + Math.floor(random() * 40) }),
    secret: masked,
    excerpt: `token = "${masked}"`,
    fingerprint: hex(random, 64),
    location: config ? 'config' : 'file',
    ...(config || !layer ? {} : { layer }),
    inFinalFilesystem: random() < 0.9,
  };
}

function malware(random: () => number, n: number, layers: ReturnType<typeof layerRefs>): MalwareFinding {
  const engine = pick(random, ['hash', 'clamav', 'yara'] as const);
  const layer = layers[4] ?? layers[0];
  if (!layer) throw new Error('no layers');
  return {
    path: `app/vendor/tools/payload-${n}.bin`,
    size: 68 + Math.floor(random() * 100_000),
    sha256: hex(random, 64),
    md5: hex(random, 32),
    engine,
    signature:
      engine === 'clamav'
        ? `Unix.Trojan.Mirai-${n}`
        : engine === 'yara'
          ? `Miner_Xmrig_${n}`
          : `hashlist:${n}`,
    source: engine === 'clamav' ? 'clamd' : engine === 'yara' ? 'rules/miners.yar' : 'malware-hashes',
    ...(engine === 'hash' ? { digest: 'sha256' } : {}),
    severity: 'critical',
    layer,
    inFinalFilesystem: true,
  };
}

const baselineChecks = [
  ['cis-4.1-non-root-user', 'Image runs as a non-root user', 'image-config', 'high'],
  ['cis-4.6-healthcheck', 'A HEALTHCHECK is defined', 'image-config', 'low'],
  ['cis-4.7-update-alone', 'No `apt-get update` alone in a layer', 'build-history', 'low'],
  ['cis-4.9-copy-not-add', 'COPY rather than ADD', 'build-history', 'low'],
  ['cis-4.10-no-secrets-in-env', 'No secrets in ENV', 'image-config', 'critical'],
  ['accounts-uid0-besides-root', 'Only root has UID 0', 'accounts', 'critical'],
  ['accounts-empty-password', 'No account without a password', 'accounts', 'high'],
  ['weak-password-root', 'root has no weak password', 'weak-password', 'critical'],
  ['password-policy-max-days', 'Passwords expire', 'password-policy', 'medium'],
  ['password-policy-min-length', 'Minimum password length', 'password-policy', 'medium'],
  ['ssh-permit-root-login', 'SSH refuses root logins', 'ssh', 'high'],
  ['ssh-password-authentication', 'SSH refuses passwords', 'ssh', 'medium'],
  ['ssh-protocol-2', 'SSH speaks protocol 2 only', 'ssh', 'medium'],
] as const satisfies readonly (readonly [
  string,
  string,
  BaselineCheckResult['area'],
  BaselineCheckResult['severity'],
])[];

function baseline(n: number, outcome: 'pass' | 'fail'): BaselineCheckResult {
  const check = baselineChecks[n];
  if (!check) throw new Error(`no baseline check ${n}`);
  const [id, title, area, severity] = check;
  return {
    id,
    title,
    area,
    severity,
    standard: id.startsWith('cis-') ? `CIS Docker Benchmark 1.6.0 §${id.split('-')[1] ?? ''}` : 'Drydock',
    result: outcome,
    ...(outcome === 'fail' ? { current: 'not as suggested', suggested: title } : {}),
    remediation: `Change the image so that: ${title.toLowerCase()}.`,
    evidence: outcome === 'fail' ? [{ location: 'config:user', detail: 'USER is unset' }] : [],
  };
}

function compliance(random: () => number, n: number, spec: PackageSpec): ComplianceFinding {
  const type = weighted(random, { license: 70, prohibited: 15, 'end-of-life': 15 } as const);
  const severity = weighted(random, { critical: 3, high: 35, medium: 40, low: 22 } as const);
  const license = pick(random, ['GPL-3.0-only', 'AGPL-3.0-only', 'SSPL-1.0', 'LicenseRef-unknown']);
  return {
    type,
    severity,
    software: type === 'end-of-life' ? `Debian GNU/Linux ${9 + (n % 2)}` : spec.name,
    ...(type === 'end-of-life' ? {} : { version: spec.version, ecosystem: spec.ecosystem, purl: spec.purl }),
    path: type === 'end-of-life' ? 'etc/os-release' : spec.path,
    layerIndex: spec.layerIndex,
    reason:
      type === 'license'
        ? `licence ${license} is denied by the project's policy`
        : type === 'prohibited'
          ? 'the software is on the prohibited list'
          : 'the release is past its end of life',
    rule:
      type === 'license'
        ? `license-denied:${license}`
        : type === 'prohibited'
          ? `prohibited:${spec.name}`
          : 'eol:debian',
  };
}

/** Every pool, as JSON text ready to load. */
export function findingPools(seed = 20_261_127): FindingPools {
  const random = generator(seed);
  const layers = layerRefs(random);
  const specs = Array.from({ length: poolSizes.package }, (_, n) => packageSpec(random, n));
  const specAt = (n: number): PackageSpec => {
    const spec = specs[n % specs.length];
    if (!spec) throw new Error('empty package pool');
    return spec;
  };
  return {
    package: specs.map((spec, n) => ({
      n,
      severity: '',
      doc: JSON.stringify(inventoryPackage(spec, random, layers)),
    })),
    vulnerability: Array.from({ length: poolSizes.vulnerability }, (_, n) => {
      const packageN = Math.floor(random() * specs.length);
      const finding = vulnerability(random, n, specAt(packageN), layers);
      return { n, severity: finding.severity, doc: JSON.stringify(finding), packageN };
    }),
    secret: Array.from({ length: poolSizes.secret }, (_, n) => {
      const finding = secret(random, n, layers);
      return { n, severity: finding.severity, doc: JSON.stringify(finding) };
    }),
    malware: Array.from({ length: poolSizes.malware }, (_, n) => {
      const finding = malware(random, n, layers);
      return { n, severity: finding.severity, doc: JSON.stringify(finding) };
    }),
    baseline: baselineChecks.map((check, n) => ({
      n,
      severity: check[3],
      doc: JSON.stringify(baseline(n, 'fail')),
      passDoc: JSON.stringify(baseline(n, 'pass')),
    })),
    compliance: Array.from({ length: poolSizes.compliance }, (_, n) => {
      const finding = compliance(random, n, specAt(n * 7));
      return { n, severity: finding.severity, doc: JSON.stringify(finding) };
    }),
  };
}

/** The licence summary of a report's compliance section (its counts are not read by any view). */
export const licenseSummary: ComplianceResult['licenses'] = {
  packages: 60,
  byCategory: {
    forbidden: 0,
    restricted: 2,
    reciprocal: 3,
    notice: 40,
    permissive: 10,
    unencumbered: 1,
    unknown: 4,
  },
  undeclared: 4,
  violations: 2,
};

/**
 * A report without its per-result parts (platform, digests, packages and findings, which the SQL
 * fills in): the configuration, OS, layers and file totals a Debian-based Node image shows.
 */
export function reportSkeleton(
  seed = 7,
): Omit<
  ImageReport,
  'platform' | 'packages' | 'vulnerabilities' | 'secrets' | 'malware' | 'baseline' | 'compliance'
> {
  const random = generator(seed);
  const refs = layerRefs(random);
  const layers: LayerReport[] = refs.map((ref, index) => ({
    index,
    digest: ref.digest,
    diffId: ref.diffId,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
    size: 2_000_000 + index * 7_000_000,
    uncompressedSize: 6_000_000 + index * 20_000_000,
    createdBy: ref.createdBy,
    stats: {
      files: 400 + index * 2_000,
      directories: 80 + index * 300,
      symlinks: 20 + index * 10,
      hardlinks: 0,
      totalBytes: 6_000_000 + index * 20_000_000,
      whiteouts: index === 4 ? 2 : 0,
      largest: [{ path: `usr/lib/x86_64-linux-gnu/libLarge${index}.so`, size: 3_000_000 }],
      setuid: index === 0 ? ['usr/bin/passwd', 'usr/bin/su'] : [],
      setgid: [],
      worldWritable: [],
    },
  }));
  return {
    manifestDigest: undefined,
    configDigest: `sha256:${hex(random, 64)}`,
    repoTags: [],
    created: '2025-05-01T10:00:00Z',
    config: {
      user: 'node',
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'NODE_ENV=production',
        'API_TOKEN=****',
      ],
      entrypoint: ['docker-entrypoint.sh'],
      cmd: ['node', 'server.js'],
      workingDir: '/app',
      exposedPorts: ['8080/tcp'],
      labels: { 'org.opencontainers.image.source': 'https://git.example.com/acme/app' },
      healthcheck: undefined,
    },
    os: {
      family: 'debian',
      id: 'debian',
      name: 'Debian GNU/Linux',
      version: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      path: 'etc/os-release',
      layerIndex: 0,
    },
    layers,
    secretScan: { rules: 112, skippedBaseLayers: 0 },
    malwareScan: { engines: [{ engine: 'hash', status: 'ok', failedFiles: 0 }] },
    files: {
      files: 9_200,
      directories: 1_300,
      symlinks: 90,
      totalBytes: 150_000_000,
      largest: [{ path: 'usr/local/bin/node', size: 96_000_000, layerIndex: 3 }],
      setuid: ['usr/bin/passwd', 'usr/bin/su'],
      setgid: [],
      worldWritable: [],
    },
    diagnostics: [],
    durationMs: 4_200,
  };
}
