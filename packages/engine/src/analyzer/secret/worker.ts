/**
 * The worker-thread side of `SecretScanner`: compiles the rule set once per thread from the plain
 * configuration piscina hands over as workerData (regular expressions do not cross threads), then
 * scans batches of files. Loaded by piscina; under `node --import tsx` threads inherit the loader, so
 * this `.ts` file runs as is.
 */
import { workerData } from 'node:worker_threads';
import { compileSecretRules } from './rule-set.ts';
import type { SecretScanConfig } from './scan-config.ts';
import { scanFile } from './scan-file.ts';
import type { SecretFileResult } from './secret-match.ts';

export interface WorkerFile {
  readonly path: string;
  readonly content: Uint8Array;
}

const config = (workerData as { config?: SecretScanConfig } | undefined)?.config ?? {};
const rules = compileSecretRules(config, 'worker');

export default function scanBatch(files: readonly WorkerFile[]): SecretFileResult[] {
  return files.map((file) =>
    scanFile(
      rules,
      file.path,
      Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength),
    ),
  );
}
