/**
 * The worker-thread side of `SecretScanner`: compiles the rule set once per thread from the plain
 * configuration piscina hands over as workerData (regular expressions do not cross threads), then
 * scans batches of files. Loaded by piscina; from the sources (Node's type stripping, or tsx's loader
 * that threads inherit) this `.ts` file runs as is.
 */
import { workerData } from 'node:worker_threads';
import { compileSecretRules } from './rule-set.ts';
import type { SecretScanConfig } from './scan-config.ts';
import { scanFile } from './scan-file.ts';
import type { SecretFileResult } from './secret-match.ts';

/** Files packed for the trip: file i is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface WorkerBatch {
  readonly paths: readonly string[];
  readonly ends: readonly number[];
  readonly bytes: ArrayBuffer;
}

const config = (workerData as { config?: SecretScanConfig } | undefined)?.config ?? {};
const rules = compileSecretRules(config, 'worker');

export default function scanBatch(batch: WorkerBatch): SecretFileResult[] {
  return batch.paths.map((path, index) => {
    const start = batch.ends[index - 1] ?? 0;
    const end = batch.ends[index] ?? start;
    return scanFile(rules, path, Buffer.from(batch.bytes, start, end - start));
  });
}
