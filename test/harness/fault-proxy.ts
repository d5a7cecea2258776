import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, faultKinds, parseRegistryRead, type FaultKind, type FaultRates } from './fault-plan.ts';

export { faultKinds, type FaultKind, type FaultRates } from './fault-plan.ts';

export interface FaultProxyOptions {
  /** Seeds every decision: the same seed and requests give the same faults. */
  readonly seed: number;
  readonly rates: FaultRates;
  /** How long a stall holds a response; `forever` holds it until the client closes. Default `forever`. */
  readonly stallMs?: number | 'forever';
  /** The `Retry-After` of a 429, in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
}

/** One fault the proxy injected. */
export interface Injection {
  readonly kind: FaultKind;
  readonly method: string;
  readonly path: string;
  readonly repository: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Blob bodies kept to serve as another blob's bytes (`wrong_digest`). */
const rememberedBlobs = 32;

/**
 * An HTTP proxy on 127.0.0.1 in front of a test registry that injects faults into manifest and blob
 * reads at configured rates (see fault-plan.ts for the kinds and how each request's fault is
 * decided), and records what it injected. Everything else passes through untouched. Test code only.
 */
export class FaultProxy {
  readonly url: string;
  readonly injections: Injection[] = [];
  /** Requests seen, and those that were manifest or blob reads (the ones a fault may hit). */
  readonly seen = { requests: 0, reads: 0 };
  readonly #server: Server;
  readonly #upstream: URL;
  readonly #plan: FaultPlan;
  readonly #stallMs: number | 'forever';
  readonly #retryAfterSeconds: number;
  readonly #blobs = new Map<string, Buffer>();
  readonly #held = new Set<() => void>();

  private constructor(server: Server, url: string, upstream: URL, options: FaultProxyOptions) {
    this.#server = server;
    this.url = url;
    this.#upstream = upstream;
    this.#plan = new FaultPlan(options.seed, options.rates);
    this.#stallMs = options.stallMs ?? 'forever';
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  static async start(target: string, options: FaultProxyOptions): Promise<FaultProxy> {
    const state: { proxy?: FaultProxy } = {};
    const server = createServer((incoming, outgoing) => {
      if (!state.proxy) return outgoing.destroy();
      state.proxy.#handle(incoming, outgoing).catch(() => outgoing.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state.proxy = new FaultProxy(server, `http://127.0.0.1:${port}`, new URL(target), options);
    return state.proxy;
  }

  /** Changes the rates from the next request on (all zero: a faithful proxy). */
  setRates(rates: FaultRates): void {
    this.#plan.rates = rates;
  }

  /** Injections so far by kind (every kind present, zero when none). */
  counts(since = 0): Record<FaultKind, number> {
    const counts = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
    for (const injection of this.injections.slice(since)) counts[injection.kind] += 1;
    return counts;
  }

  /** Responses held by a stall right now. */
  get heldResponses(): number {
    return this.#held.size;
  }

  async stop(): Promise<void> {
    for (const release of this.#held) release();
    this.#held.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    this.seen.requests += 1;
    const method = incoming.method ?? 'GET';
    const path = incoming.url ?? '/';
    const read = parseRegistryRead(method, path);
    if (!read) return this.#pipe(incoming, outgoing);
    this.seen.reads += 1;
    const { kind, position } = this.#plan.decide(read, path);
    const record = (injected: FaultKind): void => {
      this.injections.push({ kind: injected, method, path, repository: read.repository, at: Date.now() });
    };
    switch (kind) {
      case undefined:
        return this.#pipe(incoming, outgoing);
      case 'server_error':
        record(kind);
        incoming.resume();
        return this.#answerError(outgoing, 500, 'UNKNOWN', 'injected server error', {});
      case 'rate_limited':
        record(kind);
        incoming.resume();
        return this.#answerError(outgoing, 429, 'TOOMANYREQUESTS', 'injected rate limit', {
          'retry-after': String(this.#retryAfterSeconds),
        });
      case 'stall': {
        record(kind);
        if (read.kind === 'manifest' || method === 'HEAD') {
          if (await this.#hold(outgoing)) this.#pipe(incoming, outgoing);
          return;
        }
        // A blob: the headers arrive, then the body does not.
        const answer = await this.#fetch(incoming);
        outgoing.writeHead(answer.status, this.#headers(answer.headers, answer.body.length));
        outgoing.flushHeaders();
        if (await this.#hold(outgoing)) outgoing.end(answer.body);
        return;
      }
      case 'drop':
      case 'corrupt':
      case 'wrong_digest': {
        const answer = await this.#fetch(incoming);
        if (read.kind === 'blob' && answer.status === 200) this.#remember(read.reference, answer.body);
        if (answer.status !== 200 || answer.body.length === 0)
          return this.#send(outgoing, answer, answer.body);
        record(kind);
        if (kind === 'corrupt') {
          const body = Buffer.from(answer.body);
          const offset = Math.floor(position * body.length);
          body[offset] = (body[offset] ?? 0) ^ 0xff;
          return this.#send(outgoing, answer, body);
        }
        if (kind === 'wrong_digest')
          return this.#send(
            outgoing,
            answer,
            this.#wrongBytes(read.kind, read.reference, answer.body, position),
          );
        // drop: part of the body, then the connection goes.
        const cut = Math.min(answer.body.length - 1, Math.floor(position * answer.body.length));
        outgoing.writeHead(answer.status, this.#headers(answer.headers, answer.body.length));
        outgoing.write(answer.body.subarray(0, cut), () => outgoing.socket?.destroy());
        return;
      }
    }
  }

  /** Another blob's bytes; a manifest with a trailing newline (still JSON, no longer its digest). */
  #wrongBytes(kind: 'manifest' | 'blob', reference: string, body: Buffer, position: number): Buffer {
    if (kind === 'manifest') return Buffer.concat([body, Buffer.from('\n')]);
    const others = [...this.#blobs].filter(([digest]) => digest !== reference);
    const other = others[Math.floor(position * others.length)];
    return other ? other[1] : Buffer.concat([body, Buffer.from([0])]);
  }

  #remember(digest: string, body: Buffer): void {
    this.#blobs.delete(digest);
    this.#blobs.set(digest, body);
    if (this.#blobs.size <= rememberedBlobs) return;
    const oldest = this.#blobs.keys().next().value;
    if (oldest !== undefined) this.#blobs.delete(oldest);
  }

  /** Resolves true after the stall time, false when the client went away first (or the proxy stopped). */
  #hold(outgoing: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (passed: boolean): void => {
        if (timer) clearTimeout(timer);
        this.#held.delete(release);
        outgoing.off('close', release);
        resolve(passed);
      };
      const release = (): void => finish(false);
      this.#held.add(release);
      outgoing.once('close', release);
      if (this.#stallMs !== 'forever') timer = setTimeout(() => finish(true), this.#stallMs);
    });
  }

  #answerError(
    outgoing: ServerResponse,
    status: number,
    code: string,
    message: string,
    extra: OutgoingHttpHeaders,
  ): void {
    const body = JSON.stringify({ errors: [{ code, message }] });
    outgoing.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    outgoing.end(body);
  }

  #headers(headers: IncomingHttpHeaders, length: number): OutgoingHttpHeaders {
    const { 'transfer-encoding': _chunked, 'content-length': _length, ...rest } = headers;
    return { ...rest, 'content-length': length };
  }

  #send(outgoing: ServerResponse, answer: UpstreamAnswer, body: Buffer): void {
    outgoing.writeHead(answer.status, this.#headers(answer.headers, body.length));
    outgoing.end(body);
  }

  #upstreamRequest(incoming: IncomingMessage, onAnswer: (answer: IncomingMessage) => void) {
    return request(
      {
        host: this.#upstream.hostname,
        port: this.#upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: this.#upstream.host },
      },
      onAnswer,
    );
  }

  #pipe(incoming: IncomingMessage, outgoing: ServerResponse): void {
    const forwarded = this.#upstreamRequest(incoming, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.destroy());
    // A client that gave up mid-answer: do not leave the upstream exchange open.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) forwarded.destroy();
    });
    incoming.pipe(forwarded);
  }

  #fetch(incoming: IncomingMessage): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const forwarded = this.#upstreamRequest(incoming, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
        );
      });
      forwarded.on('error', reject);
      incoming.pipe(forwarded);
    });
  }
}
