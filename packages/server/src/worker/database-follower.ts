import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { openVulnerabilityDatabase } from '@drydock/engine';
import type { VulnerabilityDatabaseSlot } from './vulnerability-database-slot.ts';

/** The service a worker takes its vulnerability database from. */
export interface DatabaseServer {
  /** The service's base URL, without `/api/v1`. */
  readonly url: string;
  /** An API token of any role. */
  readonly token: string;
}

export type DatabaseDownloadErrorCode =
  'unauthenticated' | 'unreachable' | 'bad_answer' | 'checksum_mismatch';

export class DatabaseDownloadError extends Error {
  readonly code: DatabaseDownloadErrorCode;

  constructor(code: DatabaseDownloadErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = 'DatabaseDownloadError';
  }
}

export type FollowOutcome = 'unchanged' | 'replaced' | 'none';

const downloadTimeoutMs = 15 * 60_000;
/** Copies are named by their SHA-256, so a copy kept from the last run is known without hashing it. */
const copyName = /^vulnerability-([0-9a-f]{64})\.db$/;

/**
 * Keeps this worker's copy of the service's vulnerability database current: asks the service
 * with the copy's SHA-256 as `If-None-Match`, downloads a changed file beside the copy, checks its
 * length and SHA-256 against the answer's headers, renames it into place and hands it to the
 * slot, whose scans move over as they start (the old copy closes after its last scan).
 */
export class DatabaseFollower {
  #sha256: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<FollowOutcome> | undefined;
  #followed = false;

  private readonly server: DatabaseServer;
  /** This worker's own directory for the copy. */
  private readonly dir: string;
  private readonly slot: VulnerabilityDatabaseSlot;

  constructor(server: DatabaseServer, dir: string, slot: VulnerabilityDatabaseSlot) {
    this.server = server;
    this.dir = dir;
    this.slot = slot;
  }

  /** True once a check has succeeded: the worker scans with what the service has. */
  get followed(): boolean {
    return this.#followed;
  }

  /**
   * The first check; a failure is retried every `retryMs` until one succeeds or `signal` aborts,
   * so a worker started before the service waits for it instead of scanning without a database.
   */
  async start(options: {
    readonly checkEveryMs: number;
    readonly retryMs?: number;
    readonly signal?: AbortSignal;
    readonly onError?: (error: unknown) => void;
  }): Promise<void> {
    await this.#reuseKeptCopy();
    for (;;) {
      try {
        await this.check();
        break;
      } catch (error) {
        options.onError?.(error);
        options.signal?.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 2000));
      }
    }
    this.#timer = setInterval(() => {
      this.check().catch((error: unknown) => options.onError?.(error));
    }, options.checkEveryMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** One check (a second caller meanwhile shares it). */
  check(): Promise<FollowOutcome> {
    this.#checking ??= this.#check().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async #check(): Promise<FollowOutcome> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.server.token}` };
    if (this.#sha256) headers['if-none-match'] = `"${this.#sha256}"`;
    let answer: Response;
    try {
      answer = await fetch(`${this.server.url}/api/v1/vulnerability-database/file`, {
        headers,
        signal: AbortSignal.timeout(downloadTimeoutMs),
      });
    } catch (error) {
      throw new DatabaseDownloadError('unreachable', `the service at ${this.server.url} does not answer`, {
        cause: error,
      });
    }
    if (answer.status === 304) {
      this.#followed = true;
      return 'unchanged';
    }
    if (answer.status === 404) {
      // The service has no database: neither has the worker, as a scan in the service would not.
      await answer.body?.cancel();
      this.#followed = true;
      return 'none';
    }
    if (answer.status === 401 || answer.status === 403) {
      await answer.body?.cancel();
      throw new DatabaseDownloadError(
        'unauthenticated',
        `the service refused the worker's API token (HTTP ${answer.status})`,
      );
    }
    const sha256 = /^"([0-9a-f]{64})"$/.exec(answer.headers.get('etag') ?? '')?.[1];
    const length = Number(answer.headers.get('content-length'));
    if (answer.status !== 200 || !answer.body || !sha256 || !Number.isSafeInteger(length)) {
      await answer.body?.cancel();
      throw new DatabaseDownloadError(
        'bad_answer',
        `the service answered the database download with HTTP ${answer.status}, not a file with its SHA-256`,
      );
    }
    const path = await this.#download(answer.body as WebReadableStream<Uint8Array>, sha256, length);
    const previous = this.#sha256;
    this.slot.replace(openVulnerabilityDatabase(path));
    this.#sha256 = sha256;
    this.#followed = true;
    // Scans still matching against the old copy keep its pages mapped; the name can go now.
    if (previous && previous !== sha256)
      await rm(join(this.dir, `vulnerability-${previous}.db`), { force: true });
    return 'replaced';
  }

  async #download(body: WebReadableStream<Uint8Array>, sha256: string, length: number): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const partial = join(this.dir, `download-${randomBytes(6).toString('hex')}.partial`);
    const hash = createHash('sha256');
    let received = 0;
    try {
      await pipeline(
        Readable.fromWeb(body),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            received += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(partial, { mode: 0o600 }),
      );
      const actual = hash.digest('hex');
      if (received !== length || actual !== sha256)
        throw new DatabaseDownloadError(
          'checksum_mismatch',
          `the downloaded database has ${received} bytes with SHA-256 ${actual}; the service announced ${length} bytes with ${sha256}`,
        );
      // On disk before the rename, so a crash never leaves a named copy with other bytes.
      const handle = await open(partial, 'r');
      await handle.sync().finally(() => handle.close());
      const path = join(this.dir, `vulnerability-${sha256}.db`);
      await rename(partial, path);
      return path;
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof DatabaseDownloadError) throw error;
      throw new DatabaseDownloadError('unreachable', 'the database download broke off', { cause: error });
    }
  }

  /** A copy left by this worker's last run (named by its checksum) saves the first download. */
  async #reuseKeptCopy(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.endsWith('.partial')) await rm(join(this.dir, name), { force: true });
    }
    const copies = names.flatMap((name) => copyName.exec(name)?.[1] ?? []);
    const [kept, ...older] = copies;
    // More than one is left only by a crash between a download's rename and the old copy's removal.
    for (const sha of older) await rm(join(this.dir, `vulnerability-${sha}.db`), { force: true });
    if (!kept) return;
    try {
      this.slot.replace(openVulnerabilityDatabase(join(this.dir, `vulnerability-${kept}.db`)));
      this.#sha256 = kept;
    } catch {
      await rm(join(this.dir, `vulnerability-${kept}.db`), { force: true });
    }
  }
}
