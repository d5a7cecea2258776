import type { SecretFinding } from '@drydock/engine';
import type {
  FindingOfView,
  HandledReport,
  ImageResults,
  ImageSummary,
  RiskRow,
  SecretWithHandling,
} from './current-results.ts';
import type { RiskViewKind } from './finding-keys.ts';

/**
 * Export formats of results (PRODUCT.md 4.1): per risk type (`riskView` rows) and per image (its
 * whole report). CSV follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): a header row,
 * CRLF line ends, fields quoted when they hold a comma, a quote or a line break, quotes doubled.
 * Text cells that a spreadsheet would run as a formula get a leading `'` (OWASP "CSV Injection").
 * Secrets come from stored reports, which hold them masked; the exports also leave out each
 * secret's fingerprint, a hash of the raw secret that a short password could be guessed back from.
 */
export const exportKinds = [
  'vulnerability',
  'secret',
  'malware',
  'baseline',
  'compliance',
  'inventory',
  'image',
] as const;
export type ExportKind = (typeof exportKinds)[number];

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** A cell before it is written: absent values are empty cells. */
export type CellValue = string | number | boolean | undefined | null;

/** What an export produced: the file's text and how many findings (or reports) it holds. */
export interface ExportOutput {
  readonly content: string;
  readonly rows: number;
}

/** The first characters that make spreadsheet programs evaluate a cell (OWASP lists tab and CR too). */
const formulaStart = /^[=+\-@\t\r]/;

/** One CSV field: formula guard on text, then RFC 4180 quoting when needed. */
export function csvCell(value: CellValue): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document: the header row, then one record per row, every record ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  return [header, ...rows].map((record) => `${record.map(csvCell).join(',')}\r\n`).join('');
}

interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => CellValue;
}

type Columns = { readonly [K in RiskViewKind]: readonly Column<FindingOfView[K]>[] };

const imageColumns: readonly Column<{ readonly image: ImageSummary; readonly platform: string }>[] = [
  { header: 'registry', value: (row) => row.image.connectionName },
  { header: 'registry_type', value: (row) => row.image.registryType },
  { header: 'namespace', value: (row) => row.image.namespace },
  { header: 'repository', value: (row) => row.image.repository },
  { header: 'tag', value: (row) => row.image.tag },
  { header: 'image_digest', value: (row) => row.image.digest },
  { header: 'platform', value: (row) => row.platform },
];

const list = (values: readonly string[] | undefined, separator = ' '): string =>
  (values ?? []).join(separator);

const findingColumns: Columns = {
  vulnerability: [
    { header: 'advisory_id', value: (f) => f.id },
    { header: 'aliases', value: (f) => list(f.aliases) },
    { header: 'severity', value: (f) => f.severity },
    { header: 'cvss_score', value: (f) => f.cvss?.score },
    { header: 'cvss_vector', value: (f) => f.cvss?.vector },
    { header: 'status', value: (f) => f.status },
    { header: 'handling', value: (f) => f.handling },
    { header: 'ecosystem', value: (f) => f.package.ecosystem },
    { header: 'package', value: (f) => f.package.name },
    { header: 'installed_version', value: (f) => f.installedVersion },
    { header: 'fixed_versions', value: (f) => list(f.fixedVersions) },
    { header: 'purl', value: (f) => f.package.purl },
    { header: 'path', value: (f) => f.package.path },
    { header: 'layer_index', value: (f) => f.package.layer.index },
    { header: 'layer_created_by', value: (f) => f.package.layer.createdBy },
    { header: 'published', value: (f) => f.published },
    { header: 'summary', value: (f) => f.summary },
    { header: 'references', value: (f) => list(f.references) },
  ],
  secret: [
    { header: 'rule_id', value: (f) => f.ruleId },
    { header: 'title', value: (f) => f.title },
    { header: 'severity', value: (f) => f.severity },
    { header: 'category', value: (f) => f.category },
    { header: 'location', value: (f) => f.location },
    { header: 'path', value: (f) => f.path },
    { header: 'line', value: (f) => f.line },
    { header: 'masked_secret', value: (f) => f.secret },
    { header: 'masked_excerpt', value: (f) => f.excerpt },
    { header: 'layer_index', value: (f) => f.layer?.index },
    { header: 'in_final_filesystem', value: (f) => f.inFinalFilesystem },
    { header: 'ignored_by', value: (f) => f.ignoredBy?.by },
    {
      header: 'ignore_reason',
      value: (f) => (f.ignoredBy?.by === 'ignore' ? f.ignoredBy.reason : f.ignoredBy?.glob),
    },
  ],
  malware: [
    { header: 'severity', value: (f) => f.severity },
    { header: 'path', value: (f) => f.path },
    { header: 'size', value: (f) => f.size },
    { header: 'sha256', value: (f) => f.sha256 },
    { header: 'engine', value: (f) => f.engine },
    { header: 'signature', value: (f) => f.signature },
    { header: 'source', value: (f) => f.source },
    { header: 'layer_index', value: (f) => f.layer.index },
    { header: 'in_final_filesystem', value: (f) => f.inFinalFilesystem },
  ],
  baseline: [
    { header: 'check_id', value: (f) => f.id },
    { header: 'title', value: (f) => f.title },
    { header: 'area', value: (f) => f.area },
    { header: 'severity', value: (f) => f.severity },
    { header: 'standard', value: (f) => f.standard },
    { header: 'result', value: (f) => f.result },
    { header: 'current', value: (f) => f.current },
    { header: 'suggested', value: (f) => f.suggested },
    { header: 'remediation', value: (f) => f.remediation },
    {
      header: 'evidence',
      value: (f) =>
        list(
          f.evidence.map(
            (item) => `${item.location}${item.line === undefined ? '' : `:${item.line}`} ${item.detail}`,
          ),
          '; ',
        ),
    },
  ],
  compliance: [
    { header: 'type', value: (f) => f.type },
    { header: 'severity', value: (f) => f.severity },
    { header: 'software', value: (f) => f.software },
    { header: 'version', value: (f) => f.version },
    { header: 'ecosystem', value: (f) => f.ecosystem },
    { header: 'purl', value: (f) => f.purl },
    { header: 'path', value: (f) => f.path },
    { header: 'layer_index', value: (f) => f.layerIndex },
    { header: 'rule', value: (f) => f.rule },
    { header: 'reason', value: (f) => f.reason },
  ],
  inventory: [
    { header: 'ecosystem', value: (f) => f.ecosystem },
    { header: 'name', value: (f) => f.name },
    { header: 'version', value: (f) => f.version },
    { header: 'purl', value: (f) => f.purl },
    { header: 'licenses', value: (f) => list(f.licenses, '; ') },
    { header: 'origin', value: (f) => f.origin },
    { header: 'path', value: (f) => f.path },
    { header: 'layer_index', value: (f) => f.layer.index },
  ],
};

/** The rows of a risk view as CSV: the image columns, then the finding's. */
export function riskRowsToCsv<K extends RiskViewKind>(kind: K, rows: readonly RiskRow<K>[]): ExportOutput {
  const columns: Columns[K] = findingColumns[kind];
  const header = [...imageColumns.map((column) => column.header), ...columns.map((column) => column.header)];
  const records = rows.map((row) => [
    ...imageColumns.map((column) => column.value(row)),
    ...columns.map((column) => column.value(row.finding)),
  ]);
  return { content: toCsv(header, records), rows: rows.length };
}

function withoutFingerprint<T extends SecretFinding>(secret: T): Omit<T, 'fingerprint'> {
  const { fingerprint: _fingerprint, ...rest } = secret;
  return rest;
}

function exportedFinding(finding: FindingOfView[RiskViewKind]): unknown {
  return 'fingerprint' in finding && 'ruleId' in finding ? withoutFingerprint(finding) : finding;
}

/** The rows of a risk view as JSON: `{ kind, rows: [{ image, platform, resultId, finding }] }`. */
export function riskRowsToJson<K extends RiskViewKind>(kind: K, rows: readonly RiskRow<K>[]): ExportOutput {
  const document = {
    kind,
    rows: rows.map((row) => ({
      image: row.image,
      platform: row.platform,
      resultId: row.resultId,
      finding: exportedFinding(row.finding),
    })),
  };
  return { content: `${JSON.stringify(document, null, 2)}\n`, rows: rows.length };
}

/** A report as exports write it: secrets without their fingerprints. */
export interface ExportedReport extends Omit<HandledReport, 'secrets'> {
  readonly secrets?: readonly Omit<SecretWithHandling, 'fingerprint'>[];
}

function exportedReport(report: HandledReport): ExportedReport {
  const { secrets, ...rest } = report;
  return secrets === undefined ? rest : { ...rest, secrets: secrets.map(withoutFingerprint) };
}

/** One image's whole current report as JSON: the image and, per platform, its result and report. */
export function imageToJson(results: ImageResults): ExportOutput {
  const document = {
    kind: 'image',
    image: results.image,
    platforms: results.platforms.map(({ result, report }) => ({
      platform: result.platform,
      digest: result.digest,
      resultId: result.id,
      createdAt: result.createdAt,
      matchedAt: result.matchedAt,
      databaseBuiltAt: result.databaseBuiltAt,
      riskTypes: result.riskTypes,
      riskCounts: result.riskCounts,
      riskLevel: result.riskLevel,
      report: exportedReport(report),
    })),
  };
  return { content: `${JSON.stringify(document, null, 2)}\n`, rows: results.platforms.length };
}

/** One image as CSV: the vulnerability rows of all its platforms (a whole report has no one table shape). */
export function imageToCsv(results: ImageResults): ExportOutput {
  const rows: RiskRow<'vulnerability'>[] = results.platforms.flatMap(({ result, report }) =>
    (report.vulnerabilities ?? []).map((finding) => ({
      image: results.image,
      platform: result.platform,
      resultId: result.id,
      finding,
    })),
  );
  return riskRowsToCsv('vulnerability', rows);
}
