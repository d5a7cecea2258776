/**
 * One baseline check's outcome (risk type `baseline`). Every check reports, pass or fail, so a
 * report shows what was examined, not only what went wrong.
 */
export type BaselineSeverity = 'critical' | 'high' | 'medium' | 'low';

export type BaselineOutcome = 'pass' | 'fail' | 'not_applicable';

/** The area a check belongs to, for grouping in reports. */
export type BaselineArea =
  'image-config' | 'build-history' | 'accounts' | 'weak-password' | 'password-policy' | 'ssh';

export interface BaselineCheckResult {
  /** Stable kebab-case id, e.g. `cis-4.1-non-root-user`, `accounts-uid0-besides-root`. */
  readonly id: string;
  readonly title: string;
  readonly area: BaselineArea;
  readonly severity: BaselineSeverity;
  /** The standard followed: `CIS Docker Benchmark 1.6.0 §4.1`, or `Drydock` for our own checks. */
  readonly standard: string;
  readonly result: BaselineOutcome;
  /** What the image has (`USER` unset, `PermitRootLogin yes`); absent when nothing applies. */
  readonly current?: string;
  /** What it should be (`a non-root USER`, `PermitRootLogin no`). */
  readonly suggested?: string;
  readonly remediation: string;
  /**
   * Where the evidence is: file paths (image-relative, no leading `/`), `config:user`,
   * `config:history/N`; and the items that failed (account names, instructions), masked where
   * they could hold a secret.
   */
  readonly evidence: readonly BaselineEvidence[];
}

export interface BaselineEvidence {
  /** Image-relative path or `config:...` location. */
  readonly location: string;
  /** 1-based line in the file, when the evidence is one line. */
  readonly line?: number;
  /** The offending item, shown to the user (a build instruction, an account name, a setting). */
  readonly detail: string;
}
