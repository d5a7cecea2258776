import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { compileSecretRules, type SecretRuleSet } from './rule-set.ts';
import type { SecretScanConfig } from './scan-config.ts';
import { scanFile } from './scan-file.ts';
import type { SecretFileResult } from './secret-match.ts';
import { workerModule } from '../../util/worker-module.ts';
import type { WorkerBatch } from './secret-worker.ts';

export interface SecretScannerOptions {
  readonly config?: SecretScanConfig;
  /**
   * Worker threads; 0 scans inline on the calling thread. Defaults to one less than the cores on
   * machines with more than two, else 0: on two cores the layer walk and decompression keep both
   * busy, and measured inline scanning was as fast with less memory (bench/secret-malware.ts).
   */
  readonly threads?: number;
}

export interface FileToScan {
  readonly path: string;
  readonly content: Buffer;
}

interface QueuedFile {
  readonly file: FileToScan;
  readonly resolve: (result: SecretFileResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Files per worker task, and bytes: small files are batched so the per-task cost is paid rarely. */
const batchFiles = 256;
const batchBytes = 4 * 1024 * 1024;

/**
 * One worker task: the files' bytes copied into one buffer that is moved, not cloned, to the
 * worker. A file's Buffer may be a view into a larger one (a decompressed chunk, Node's pool), and
 * cloning a view copies everything behind it.
 */
function packBatch(files: readonly FileToScan[]): WorkerBatch {
  const bytes = new Uint8Array(files.reduce((sum, file) => sum + file.content.length, 0));
  const ends: number[] = [];
  let at = 0;
  for (const file of files) {
    bytes.set(file.content, at);
    at += file.content.length;
    ends.push(at);
  }
  return { paths: files.map((file) => file.path), ends, bytes: bytes.buffer };
}

/**
 * Searches files for secrets with one compiled rule set, inline or spread over a piscina pool of
 * worker threads. The configuration is validated (and compiled) on construction, so a bad one fails
 * here with a `SecretConfigError` rather than in every worker. Results are the same either way.
 */
export class SecretScanner {
  readonly threads: number;
  private readonly rules: SecretRuleSet;
  private readonly pool: Piscina | undefined;
  private closed = false;
  private queue: QueuedFile[] = [];
  private queuedBytes = 0;
  private flushScheduled: NodeJS.Immediate | undefined;

  constructor(options: SecretScannerOptions = {}) {
    const config = options.config ?? {};
    this.rules = compileSecretRules(config);
    this.threads = options.threads ?? (availableParallelism() > 2 ? availableParallelism() - 1 : 0);
    this.pool =
      this.threads === 0
        ? undefined
        : new Piscina({
            filename: workerModule(import.meta.url, 'secret-worker'),
            workerData: { config },
            minThreads: 0,
            maxThreads: this.threads,
            idleTimeout: 5_000,
          });
  }

  /** The compiled rules (for the image configuration check, which runs inline). */
  get ruleSet(): SecretRuleSet {
    return this.rules;
  }

  /** Worker threads running now (they start on demand and end after 5 s idle or on close). */
  get runningThreads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /**
   * Scans one file; `path` is image-relative. With worker threads, files handed over in the same
   * turn of the event loop (a layer walk with several analyses in flight) go to one worker task,
   * so the cost of a task is not paid per small file.
   */
  async scan(path: string, content: Buffer, signal?: AbortSignal): Promise<SecretFileResult> {
    if (this.closed) throw new Error('the secret scanner is closed');
    signal?.throwIfAborted();
    if (this.pool === undefined) return scanFile(this.rules, path, content);
    return new Promise<SecretFileResult>((resolve, reject) => {
      this.queue.push({ file: { path, content }, resolve, reject });
      this.queuedBytes += content.length;
      if (this.queue.length >= batchFiles || this.queuedBytes >= batchBytes) this.flush();
      else this.flushScheduled ??= setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.flushScheduled !== undefined) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    if (batch.length === 0) return;
    this.scanFiles(batch.map((entry) => entry.file)).then(
      (results) =>
        batch.forEach((entry, index) => {
          const result = results[index];
          if (result === undefined) entry.reject(new Error('the secret scanner returned no result'));
          else entry.resolve(result);
        }),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }

  /** Scans many files, batched over the workers; results in the order of `files`. */
  async scanFiles(files: readonly FileToScan[], signal?: AbortSignal): Promise<SecretFileResult[]> {
    if (this.closed) throw new Error('the secret scanner is closed');
    signal?.throwIfAborted();
    const pool = this.pool;
    if (pool === undefined) return files.map((file) => scanFile(this.rules, file.path, file.content));
    const batches: FileToScan[][] = [];
    let current: FileToScan[] = [];
    let bytes = 0;
    for (const file of files) {
      if (current.length > 0 && (current.length >= batchFiles || bytes + file.content.length > batchBytes)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(file);
      bytes += file.content.length;
    }
    if (current.length > 0) batches.push(current);
    const results = await Promise.all(
      batches.map((batch) => {
        const task = packBatch(batch);
        return pool.run(task, {
          transferList: [task.bytes],
          ...(signal === undefined ? {} : { signal }),
        }) as Promise<SecretFileResult[]>;
      }),
    );
    return results.flat();
  }

  /** Ends the worker threads; the scanner cannot be used afterwards. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.pool?.destroy();
  }
}
