import type { SecretRuleSet } from '../../analyzer/secret/rule-set.ts';
import type { BaselineCheckResult, BaselineEvidence, BaselineSeverity } from './check-result.ts';
import { parseCopyArguments, type CopyArguments } from './history-copy-arguments.ts';
import { historyEvidence, historyLocations } from './history-evidence.ts';
import type { HistoryStep } from './history-instruction.ts';

/** Why an ADD is flagged: it fetches from the network unverified, or it copies a local file COPY would copy. */
export type AddConcern = 'remote' | 'local';

/** Archives ADD unpacks: the one thing ADD does for a local source that COPY does not. */
const localArchive = /\.(?:tar|tar\.(?:gz|bz2|xz|zst|lz4|lzma|Z)|tgz|tbz2?|txz|tzst|tlz)$/i;
const remoteSource = /^(?:https?|ftp|git):\/\/|^git@|^[\w.-]+@[\w.-]+:/i;

/**
 * Why one ADD is a concern, or `undefined` when ADD is the right instruction:
 * - a URL or git repository without `--checksum` is fetched unverified at build time (remote);
 * - a local source that is not a tar archive is copied exactly as COPY would copy it (local);
 * - a local tar archive is unpacked, which COPY cannot do;
 * - the classic builder records only `file:<hash> in <dest>`: into `/` that is a base image's root
 *   filesystem archive (every official image starts so) and passes; elsewhere it may or may not have
 *   been an archive, and is flagged local (its low severity reflects that doubt); `dir:` and `multi:`
 *   are never a single archive.
 */
export function addConcern(add: CopyArguments): AddConcern | undefined {
  let concern: AddConcern | undefined;
  for (const source of add.sources) {
    if (add.hashed) {
      if (!(source.startsWith('file:') && add.destination.replace(/\/+$/, '') === '')) concern ??= 'local';
    } else if (remoteSource.test(source)) {
      if (!add.flags.has('checksum')) return 'remote';
    } else if (!localArchive.test(source)) concern ??= 'local';
  }
  return concern;
}

/**
 * CIS Docker Benchmark 1.6.0 §4.9: COPY instead of ADD. ADD also fetches URLs and unpacks archives, so
 * an ADD that only copies hides intent, and one that fetches brings in unverified content. Severity is
 * medium when a remote source is fetched without a checksum, low otherwise.
 */
export function addInsteadOfCopyCheck(
  steps: readonly HistoryStep[],
  rules: SecretRuleSet,
): BaselineCheckResult {
  const flagged: { step: HistoryStep; concern: AddConcern }[] = [];
  for (const step of steps) {
    if (step.instruction.keyword !== 'ADD') continue;
    const concern = addConcern(parseCopyArguments(step.instruction.arguments));
    if (concern !== undefined) flagged.push({ step, concern });
  }
  const severity: BaselineSeverity =
    flagged.some((item) => item.concern === 'remote') || flagged.length === 0 ? 'medium' : 'low';
  const evidence: BaselineEvidence[] = flagged.map((item) => historyEvidence(rules, item.step));
  return {
    id: 'cis-4.9-copy-instead-of-add',
    title: 'COPY used instead of ADD',
    area: 'build-history',
    severity,
    standard: 'CIS Docker Benchmark 1.6.0 §4.9',
    result: flagged.length > 0 ? 'fail' : 'pass',
    current:
      flagged.length === 0
        ? 'no ADD that COPY could replace'
        : flagged
            .map(
              (item) =>
                `${item.concern === 'remote' ? 'remote ADD without checksum' : 'ADD of a local file or directory'} in ${historyLocations([item.step])}`,
            )
            .join('; '),
    suggested: 'COPY for local files; ADD only to unpack a local tar archive or with --checksum for a URL',
    remediation:
      'Replace ADD with COPY for local files and directories. Fetch remote files in a RUN with curl or wget and verify their checksum, or use ADD --checksum=sha256:<digest> <url>.',
    evidence,
  };
}
