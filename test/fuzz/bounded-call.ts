/**
 * One parser call on one fuzzed input, held to the fuzzing contract: it returns, or throws only
 * what the parser documents (by default a DrydockError); it ends within a generous wall-time bound
 * (a hang check, not a timing assertion); and it does not grow memory by more than a generous
 * bound, so a length field that claims gigabytes cannot be believed. A call that never returns
 * (an endless loop in synchronous code) is caught by a watchdog thread, which prints the input and
 * kills the process, since nothing on the stuck thread can.
 */
import { Worker } from 'node:worker_threads';
import { isDrydockError } from '../../packages/engine/src/util/errors.ts';

/** One call slower than this fails with its input (parsers take microseconds to milliseconds). */
const callBoundMs = 5_000;
/** One call still running after this is an endless loop: the watchdog ends the process. */
const hangMs = 30_000;
/** Growth of ArrayBuffer memory, or of the resident set, over one call that fails it. */
const arrayBufferBoundBytes = 256 * 1024 * 1024;
const residentBoundBytes = 512 * 1024 * 1024;

export type ErrorFilter = (error: unknown) => boolean;

/** Parsers of image and layer input fail with DrydockError only. */
export const drydockErrorsOnly: ErrorFilter = isDrydockError;
/** Analyzers and lenient parsers never throw: a bad file is a diagnostic or an "invalid" result. */
export const nothingThrown: ErrorFilter = () => false;

const previewBytes = 8 * 1024;
const shared = new SharedArrayBuffer(8 + previewBytes);
const state = new Int32Array(shared, 0, 2);
const preview = new Uint8Array(shared, 8, previewBytes);
let sequence = 0;
let watchdog: Worker | undefined;

const watchdogSource = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.shared, 0, 2);
const preview = new Uint8Array(workerData.shared, 8, workerData.previewBytes);
let seen = 0;
let since = Date.now();
setInterval(() => {
  const current = Atomics.load(state, 0);
  if (current === 0 || current !== seen) {
    seen = current;
    since = Date.now();
    return;
  }
  if (Date.now() - since < workerData.hangMs) return;
  const input = Buffer.from(preview.slice(0, Atomics.load(state, 1))).toString('utf8');
  writeSync(2, 'fuzz: one call ran ' + (Date.now() - since) + ' ms without returning (a hang). ' + input + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 250);
`;

function startWatchdog(): void {
  if (watchdog !== undefined) return;
  watchdog = new Worker(watchdogSource, { eval: true, workerData: { shared, previewBytes, hangMs } });
  watchdog.unref();
}

/** A short, printable description of an input (bytes as base64, text as JSON), cut to `limit` characters. */
export function describeInput(input: unknown, limit = 4_000): string {
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    const bytes = Buffer.from(input.buffer, input.byteOffset, Math.min(input.byteLength, (limit * 3) / 4));
    return `${input.byteLength} bytes, base64 ${bytes.toString('base64')}`;
  }
  if (typeof input === 'string') return `${input.length} characters ${JSON.stringify(input.slice(0, limit))}`;
  return JSON.stringify(input, (_key, value: unknown) =>
    typeof value === 'bigint' ? String(value) : value,
  ).slice(0, limit);
}

function begin(label: string, input: unknown): void {
  startWatchdog();
  const note = Buffer.from(`${label}: input ${describeInput(input)}`, 'utf8').subarray(0, previewBytes);
  preview.set(note);
  Atomics.store(state, 1, note.length);
  sequence = sequence >= 0x3fffffff ? 1 : sequence + 1;
  Atomics.store(state, 0, sequence);
}

function finish(label: string, input: unknown, started: number, before: NodeJS.MemoryUsage): void {
  Atomics.store(state, 0, 0);
  const elapsed = performance.now() - started;
  if (elapsed > callBoundMs) {
    throw new Error(
      `${label}: one call took ${Math.round(elapsed)} ms (bound ${callBoundMs} ms) on ${describeInput(input, 300)}`,
    );
  }
  const after = process.memoryUsage();
  const arrayBuffers = after.arrayBuffers - before.arrayBuffers;
  const resident = after.rss - before.rss;
  if (arrayBuffers > arrayBufferBoundBytes || resident > residentBoundBytes) {
    throw new Error(
      `${label}: one call grew memory by ${arrayBuffers} ArrayBuffer bytes, ${resident} resident bytes on ${describeInput(input, 300)}`,
    );
  }
}

function unexpected(label: string, input: unknown, error: unknown): Error {
  const shown = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return new Error(`${label} threw what it does not document: ${shown}\non ${describeInput(input, 300)}`, {
    cause: error,
  });
}

/** Runs `call` on `input`; returns its result, or undefined when it threw an error `allowed` accepts. */
export function boundedCall<T>(
  label: string,
  input: unknown,
  call: () => T,
  allowed: ErrorFilter,
): T | undefined {
  const before = process.memoryUsage();
  begin(label, input);
  const started = performance.now();
  let result: T | undefined;
  let failure: Error | undefined;
  try {
    result = call();
  } catch (error) {
    if (!allowed(error)) failure = unexpected(label, input, error);
  }
  finish(label, input, started, before);
  if (failure !== undefined) throw failure;
  return result;
}

/** `boundedCall` for a parser that returns a promise. */
export async function boundedCallAsync<T>(
  label: string,
  input: unknown,
  call: () => Promise<T>,
  allowed: ErrorFilter,
): Promise<T | undefined> {
  const before = process.memoryUsage();
  begin(label, input);
  const started = performance.now();
  let result: T | undefined;
  let failure: Error | undefined;
  try {
    result = await call();
  } catch (error) {
    if (!allowed(error)) failure = unexpected(label, input, error);
  }
  finish(label, input, started, before);
  if (failure !== undefined) throw failure;
  return result;
}
