/**
 * Secret scanning speed on a realistic corpus: the files under /usr/share and /usr/lib of this machine
 * (or the directories given), against the floor of reading the same files. Prints MB/s of:
 * - the floor: reading every file (16 reads in flight), page cache warm;
 * - the keyword prefilter alone, two ways over the same text files: the Aho–Corasick automaton over the
 *   bytes (what the scanner uses) and one combined case-insensitive regular expression over a latin1
 *   string (the alternative it was measured against);
 * - the whole scan of one file at a time inline (scanFile: cap, allowlist, binary check, prefilter, rules);
 * - read + scan through SecretScanner's worker pool, end to end, against read alone.
 *
 * usage: node --import tsx bench/secret-prefilter.ts [--limit-mb N] [directory ...]
 */
import { availableParallelism } from 'node:os';
import { lstat, opendir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileSecretRules } from '../packages/engine/src/analyzer/secret/rule-set.ts';
import { defaultMaxFileBytes } from '../packages/engine/src/analyzer/secret/scan-config.ts';
import { scanFile } from '../packages/engine/src/analyzer/secret/scan-file.ts';
import { SecretScanner } from '../packages/engine/src/analyzer/secret/scanner.ts';

const args = process.argv.slice(2);
const limitIndex = args.indexOf('--limit-mb');
const limitBytes = (limitIndex === -1 ? 1024 : Number(args[limitIndex + 1])) * 1024 * 1024;
const roots = args.filter((arg, i) => arg !== '--limit-mb' && i !== limitIndex + 1);
if (roots.length === 0) roots.push('/usr/share', '/usr/lib');

interface Entry {
  readonly path: string;
  readonly size: number;
}

async function collect(directory: string, into: Entry[]): Promise<void> {
  let handle;
  try {
    handle = await opendir(directory);
  } catch {
    return;
  }
  for await (const entry of handle) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await collect(path, into);
    else if (entry.isFile()) {
      const size = (await lstat(path)).size;
      if (size <= defaultMaxFileBytes) into.push({ path, size });
    }
  }
}

/** A fixed shuffle (so the sample mixes directories) cut at the byte limit. */
function sample(entries: Entry[]): Entry[] {
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [entries[i], entries[j]] = [entries[j] as Entry, entries[i] as Entry];
  }
  const chosen: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (bytes + entry.size > limitBytes) continue;
    chosen.push(entry);
    bytes += entry.size;
  }
  return chosen;
}

async function readAll(entries: readonly Entry[]): Promise<Buffer[]> {
  const contents: Buffer[] = new Array<Buffer>(entries.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++)
      contents[i] = await readFile((entries[i] as Entry).path).catch(() => Buffer.alloc(0));
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return contents;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const rate = (bytes: number, ms: number) => `${(mb(bytes) / (ms / 1000)).toFixed(0).padStart(6)} MB/s`;

const all: Entry[] = [];
for (const root of roots) await collect(root, all);
const entries = sample(all);
const totalBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
console.log(
  `corpus: ${entries.length} files, ${mb(totalBytes).toFixed(0)} MB from ${roots.join(', ')} (of ${all.length} files)`,
);

await readAll(entries); // warm the page cache
let started = performance.now();
const contents = await readAll(entries);
const floorMs = performance.now() - started;
console.log(
  `floor   read every file                  ${rate(totalBytes, floorMs)}  ${floorMs.toFixed(0)} ms`,
);

const rules = compileSecretRules();
const text = contents.filter((content) => !content.subarray(0, 8192).includes(0));
const textBytes = text.reduce((sum, content) => sum + content.length, 0);
console.log(`        text files (no NUL in the first 8 KiB): ${text.length}, ${mb(textBytes).toFixed(0)} MB`);

let hitCount = 0;
started = performance.now();
for (const content of text) rules.index.scan(content, () => hitCount++);
const automatonMs = performance.now() - started;
console.log(
  `prefilter Aho–Corasick over bytes       ${rate(textBytes, automatonMs)}  ${automatonMs.toFixed(0)} ms, ${hitCount} keyword hits`,
);

const escaped = rules.index.keywords.map((keyword) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const combined = new RegExp(escaped.join('|'), 'gi');
let regexHits = 0;
started = performance.now();
for (const content of text) {
  const latin1 = content.toString('latin1');
  combined.lastIndex = 0;
  while (combined.exec(latin1) !== null) regexHits++;
}
const regexMs = performance.now() - started;
console.log(
  `prefilter combined /a|b|.../gi regex    ${rate(textBytes, regexMs)}  ${regexMs.toFixed(0)} ms, ${regexHits} hits (no overlaps)`,
);

let findings = 0;
started = performance.now();
entries.forEach((entry, i) => {
  findings += scanFile(rules, entry.path.replace(/^\//, ''), contents[i] ?? Buffer.alloc(0)).matches.length;
});
const inlineMs = performance.now() - started;
console.log(
  `scan    scanFile inline, all files       ${rate(totalBytes, inlineMs)}  ${inlineMs.toFixed(0)} ms, ${findings} findings`,
);

const threads = availableParallelism();
const scanner = new SecretScanner({ threads });
const chunkBytes = 64 * 1024 * 1024;
await scanner.scanFiles([{ path: 'warm-up', content: Buffer.from('warm up the workers') }]);
started = performance.now();
let pending: Promise<unknown>[] = [];
for (let from = 0; from < entries.length;) {
  let to = from;
  let bytes = 0;
  while (to < entries.length && (bytes < chunkBytes || to === from)) bytes += (entries[to++] as Entry).size;
  const chunk = entries.slice(from, to);
  const read = await readAll(chunk);
  pending.push(
    scanner.scanFiles(
      chunk.map((entry, i) => ({ path: entry.path.replace(/^\//, ''), content: read[i] ?? Buffer.alloc(0) })),
    ),
  );
  if (pending.length >= 2) {
    await Promise.all(pending);
    pending = [];
  }
  from = to;
}
await Promise.all(pending);
const poolMs = performance.now() - started;
await scanner.close();
console.log(
  `scan    read + pool of ${threads} threads         ${rate(totalBytes, poolMs)}  ${poolMs.toFixed(0)} ms = ${(poolMs / floorMs).toFixed(2)} × floor`,
);
