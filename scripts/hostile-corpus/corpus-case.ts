/**
 * The shape of the hostile images corpus: each case names its source (relative to the corpus
 * directory), the attack it carries, and the outcome Drydock must give, exactly: a typed failure,
 * or a result with the facts it must hold.
 */
import type { DiagnosticCode } from '../../packages/engine/src/analyzer/fact.ts';
import type { FailureCode } from '../../packages/engine/src/util/errors.ts';

/** The facts a scan that succeeds must report; a field left out is not checked. */
export interface ExpectedFacts {
  /** The OS found (`family version`), or null for none. */
  readonly os?: string | null;
  /** The diagnostic codes of the report, as a set: exactly these, no other. */
  readonly diagnostics: readonly DiagnosticCode[];
  /** Paths (without the leading `/`) that must be among the largest files. */
  readonly largest?: readonly string[];
  /** Paths that must not be among the largest files (deleted, or never there). */
  readonly absent?: readonly string[];
  /** Regular files in the final filesystem. */
  readonly files?: number;
  /** Packages in the inventory. */
  readonly packageCount?: number;
  /** `ecosystem name version` of packages that must be in the inventory. */
  readonly packages?: readonly string[];
  /** The rule ids of the secrets found, as a set: exactly these. */
  readonly secretRules?: readonly string[];
  /** The paths of the malware findings, as a set: exactly these. */
  readonly malwarePaths?: readonly string[];
}

export type ExpectedOutcome =
  | { readonly kind: 'failure'; readonly code: FailureCode; readonly reason?: string }
  | { readonly kind: 'result'; readonly facts: ExpectedFacts };

export interface CorpusCase {
  /** Unique, kebab-case; also the case's folder or file name in the corpus. */
  readonly id: string;
  /** Which issue list the attack comes from, and what it does. */
  readonly attack: string;
  /** A `drydock image` reference with `{corpus}` standing for the corpus directory. */
  readonly source: string;
  readonly expected: ExpectedOutcome;
  /** More `drydock image` options, when the attack is about one part of the scan. */
  readonly args?: readonly string[];
  /**
   * Also render the table and check it holds no terminal control sequence from the image (for
   * cases with control characters in names).
   */
  readonly checkTable?: boolean;
}

export interface CorpusManifest {
  readonly generator: string;
  /** Printed in file names and contents so a test can look for anything written outside. */
  readonly marker: string;
  readonly cases: readonly CorpusCase[];
}

/** What each group of cases is given: where to write, and the marker to name escape attempts with. */
export interface CorpusContext {
  readonly directory: string;
  readonly marker: string;
}

export function ociSource(id: string, tag = 'case'): string {
  return `oci:{corpus}/${id}:${tag}`;
}

export function failure(code: FailureCode, reason?: string): ExpectedOutcome {
  return reason === undefined ? { kind: 'failure', code } : { kind: 'failure', code, reason };
}

export function result(facts: ExpectedFacts): ExpectedOutcome {
  return { kind: 'result', facts };
}
