import type { Ecosystem } from '../../analyzer/fact.ts';
import type { ComplianceSeverity } from './compliance-finding.ts';

/** Why a program has no place in a production image. */
export type ProhibitedCategory =
  | 'network-scanner'
  | 'attack-framework'
  | 'password-cracker'
  | 'traffic-interception'
  | 'crypto-miner'
  | 'remote-access'
  | 'network-relay';

/**
 * One program a policy prohibits: the package names it ships under per ecosystem, the file names
 * its executables have when copied in without a package, and optionally the SHA-256 digests of
 * known builds (matched whatever the file is called).
 */
export interface ProhibitedSoftware {
  /** Stable id, used in the finding's rule (`prohibited:<id>`) and to allow an entry. */
  readonly id: string;
  readonly category: ProhibitedCategory;
  readonly severity: ComplianceSeverity;
  /** Why it is reported, in a sentence a reader of the report understands. */
  readonly reason: string;
  readonly packages: Partial<Readonly<Record<Ecosystem, readonly string[]>>>;
  /** Executable file names (basename only, exact, case-sensitive). */
  readonly binaries: readonly string[];
  /** Lower-case hex SHA-256 digests of known executables. */
  readonly sha256?: readonly string[];
}
