import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { VulnerabilityFinding } from '../match/finding.ts';
import { SuppressionFileError } from './suppressions-error.ts';
import { isPurl, purlMatches } from './suppressions-purl.ts';

/**
 * OpenVEX documents (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md), v0.2.0 and the
 * earlier v0.0.1 shape (vulnerability as a string, products and subcomponents as lists of
 * identifiers), read into one normalised model.
 */

export const vexStatuses = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof vexStatuses)[number];

/** The status justification labels of the VEX working group, as OpenVEX lists them. */
export const vexJustifications = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof vexJustifications)[number];

const timestamp = z
  .string({ error: 'must be a timestamp' })
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be an RFC 3339 timestamp' });

/** The identifying fields of a component (product or subcomponent); cpe and hashes are read but not matched. */
const componentSchema = z.looseObject({
  '@id': z.string().optional(),
  identifiers: z.record(z.string(), z.string()).optional(),
  hashes: z.record(z.string(), z.string()).optional(),
});

const productSchema = z.union([
  z.string(),
  componentSchema.extend({ subcomponents: z.array(z.union([z.string(), componentSchema])).optional() }),
]);

const vulnerabilitySchema = z.union([
  z.string().min(1),
  z.looseObject({
    '@id': z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    aliases: z.array(z.string()).optional(),
  }),
]);

const statementSchema = z
  .looseObject({
    '@id': z.string().optional(),
    vulnerability: vulnerabilitySchema,
    timestamp: timestamp.optional(),
    last_updated: timestamp.optional(),
    products: z.array(productSchema).min(1).optional(),
    /** v0.0.1: subcomponents at the statement level, for every product. */
    subcomponents: z.array(z.string()).optional(),
    status: z.enum(vexStatuses),
    justification: z.enum(vexJustifications).optional(),
    impact_statement: z.string().optional(),
    action_statement: z.string().optional(),
    status_notes: z.string().optional(),
  })
  .refine(
    (statement) =>
      statement.status !== 'not_affected' || statement.justification || statement.impact_statement,
    {
      error: 'a not_affected statement must give a justification or an impact_statement',
    },
  )
  .refine((statement) => statement.products !== undefined, {
    error: 'a statement must name its products (no encapsulating document supplies them)',
  });

const documentSchema = z.looseObject({
  '@context': z.string().startsWith('https://openvex.dev/ns', {
    error: 'must be an OpenVEX context (https://openvex.dev/ns...)',
  }),
  '@id': z.string().min(1),
  author: z.string().min(1),
  timestamp,
  version: z.union([z.number(), z.string()]),
  statements: z.array(statementSchema),
});

type Component = z.infer<typeof componentSchema>;

/** One product of a statement: the purls naming it, and those of its subcomponents (each a list of purls). */
export interface VexProduct {
  readonly purls: readonly string[];
  readonly subcomponents: readonly (readonly string[])[];
}

export interface VexStatement {
  /** The vulnerability's name, `@id` and aliases, upper-cased for comparison. */
  readonly vulnerabilities: readonly string[];
  readonly products: readonly VexProduct[];
  readonly status: VexStatus;
  readonly justification: VexJustification | undefined;
  readonly impactStatement: string | undefined;
  /** The statement's own timestamp, or the document's (the spec's inheritance rule). */
  readonly timestamp: string;
  /** The document's `@id` and the file it was read from. */
  readonly document: string;
  readonly source: string;
}

export interface VexDocument {
  readonly id: string;
  readonly source: string;
  readonly statements: readonly VexStatement[];
}

function purlsOf(component: string | Component): string[] {
  if (typeof component === 'string') return isPurl(component) ? [component] : [];
  const ids = [component['@id'], component.identifiers?.['purl']];
  return [...new Set(ids.filter((id): id is string => id !== undefined && isPurl(id)))];
}

/**
 * Parses an OpenVEX document (https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md; JSON,
 * RFC 8259). Invalid documents are rejected as a whole (a half-read VEX file
 * would silently change results): statements need a vulnerability, products and a status, and
 * `not_affected` needs a justification or an impact statement, as the spec requires.
 *
 * @throws SuppressionFileError `invalid_vex_document`, listing each problem with its JSON path.
 */
export function parseVexDocument(content: string, source: string): VexDocument {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new SuppressionFileError('invalid_vex_document', source, `${source} is not JSON`, {
      issues: [error instanceof Error ? error.message : String(error)],
      cause: error,
    });
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(document)'}: ${issue.message}`,
    );
    throw new SuppressionFileError(
      'invalid_vex_document',
      source,
      `${source} is not a valid OpenVEX document`,
      { issues },
    );
  }
  const document = parsed.data;
  const statements = document.statements.map((statement): VexStatement => {
    const vulnerability = statement.vulnerability;
    const names =
      typeof vulnerability === 'string'
        ? [vulnerability]
        : [
            vulnerability.name,
            ...(vulnerability['@id'] ? [vulnerability['@id']] : []),
            ...(vulnerability.aliases ?? []),
          ];
    const shared = (statement.subcomponents ?? []).map((id) => purlsOf(id));
    return {
      vulnerabilities: [...new Set(names.map((name) => name.trim().toUpperCase()))],
      products: (statement.products ?? []).map((product) => ({
        purls: purlsOf(product),
        subcomponents: [
          ...shared,
          ...(typeof product === 'string' ? [] : (product.subcomponents ?? []).map((sub) => purlsOf(sub))),
        ],
      })),
      status: statement.status,
      justification: statement.justification,
      impactStatement: statement.impact_statement,
      timestamp: statement.timestamp ?? document.timestamp,
      document: document['@id'],
      source,
    };
  });
  return { id: document['@id'], source, statements };
}

/** Reads and parses an OpenVEX document. @throws SuppressionFileError when it cannot be read or is invalid. */
export async function loadVexDocument(path: string): Promise<VexDocument> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new SuppressionFileError(
      'suppression_file_unreadable',
      path,
      `cannot read the VEX document ${path}`,
      {
        issues: [error instanceof Error ? error.message : String(error)],
        cause: error,
      },
    );
  }
  return parseVexDocument(content, path);
}

/**
 * What the image a finding was made in is called as a product: the `pkg:oci` purls of the image
 * (https://github.com/package-url/purl-spec/blob/main/types-doc/oci-definition.md) and its
 * digests (manifest, and index for a multi-platform image).
 */
export interface ImageIdentity {
  readonly purls: readonly string[];
  readonly digests: readonly string[];
  readonly architecture: string | undefined;
}

export const noImageIdentity: ImageIdentity = { purls: [], digests: [], architecture: undefined };

/**
 * Whether a product purl names the image. A `pkg:oci` purl with a version names the image when
 * the version is one of its digests (the digest identifies the image whatever it was called;
 * an `arch` qualifier must still agree); otherwise the purl-matching rules apply to the image's
 * own purls.
 */
function namesImage(pattern: string, image: ImageIdentity): boolean {
  if (!pattern.startsWith('pkg:oci/')) return false;
  const digest = /@([^?#]+)/.exec(pattern)?.[1];
  if (digest !== undefined) {
    const decoded = decodeURIComponent(digest);
    if (image.digests.includes(decoded)) {
      const arch = /[?&]arch=([^&#]+)/.exec(pattern)?.[1];
      return (
        arch === undefined ||
        image.architecture === undefined ||
        decodeURIComponent(arch) === image.architecture
      );
    }
  }
  return image.purls.some((candidate) => purlMatches(pattern, candidate));
}

function namesPackage(purls: readonly string[], finding: VulnerabilityFinding): boolean {
  return purls.some((purl) => purlMatches(purl, finding.package.purl));
}

/**
 * Whether a statement is about this finding: one of its vulnerability names is the finding's
 * id or an alias, and one of its products either names the finding's package (no
 * subcomponents), or names the image and lists the package among its subcomponents, or names
 * the image without subcomponents (then it covers every package of the image). A product with
 * subcomponents that is itself a package is not applied: Drydock does not record which package
 * contains which, and a relation it cannot check never suppresses anything.
 */
export function statementApplies(
  statement: VexStatement,
  finding: VulnerabilityFinding,
  image: ImageIdentity,
): boolean {
  const ids = [finding.id, ...finding.aliases].map((id) => id.toUpperCase());
  if (!statement.vulnerabilities.some((name) => ids.includes(name))) return false;
  return statement.products.some((product) => {
    if (product.subcomponents.length === 0) {
      return namesPackage(product.purls, finding) || product.purls.some((purl) => namesImage(purl, image));
    }
    return (
      product.purls.some((purl) => namesImage(purl, image)) &&
      product.subcomponents.some((purls) => namesPackage(purls, finding))
    );
  });
}

/**
 * The statement in force for a finding: of all statements about it, the one with the latest
 * timestamp (VEX is a sequence of statements, each overriding the earlier ones); equal
 * timestamps resolve to the statement read last (documents in the order given, statements in
 * document order). Undefined when none is about it.
 */
export function effectiveStatement(
  documents: readonly VexDocument[],
  finding: VulnerabilityFinding,
  image: ImageIdentity,
): VexStatement | undefined {
  let best: VexStatement | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const document of documents) {
    for (const statement of document.statements) {
      if (!statementApplies(statement, finding, image)) continue;
      const time = Date.parse(statement.timestamp);
      if (best === undefined || time >= bestTime) {
        best = statement;
        bestTime = time;
      }
    }
  }
  return best;
}
