import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { BaseImageCatalogue } from './base-image-catalogue.ts';

const digestOf = (label: string): string => `sha256:${createHash('sha256').update(label).digest('hex')}`;
const baseLayers = [digestOf('base 0'), digestOf('base 1')];

/**
 * A reader process: opens the catalogue read-only and, until the writer's `done` entry appears,
 * matches an image on the base and lists the catalogue, checking every answer. It prints `ready`
 * once open, then one JSON summary.
 */
const readerSource = `
const { BaseImageCatalogue } = await import(${JSON.stringify(new URL('./base-image-catalogue.ts', import.meta.url).href)});
const [path, baseLayers, app] = JSON.parse(process.argv[1]);
const catalogue = BaseImageCatalogue.open(path, { readOnly: true });
console.log('ready');
let reads = 0, wrongMatches = 0, shrank = 0, incomplete = 0, previous = 0, done = false;
while (!done && reads < 100000) {
  reads++;
  if (catalogue.match([...baseLayers, app])?.entry.name !== 'library/base') wrongMatches++;
  const entries = catalogue.list();
  if (entries.length < previous) shrank++;
  previous = entries.length;
  if (entries.some((entry) => entry.diffIds.length !== 2 || entry.findings?.high !== 7)) incomplete++;
  done = entries.some((entry) => entry.tag === 'done');
}
catalogue.close();
console.log(JSON.stringify({ reads, wrongMatches, shrank, incomplete, done, last: previous }));
`;

interface ReaderSummary {
  readonly reads: number;
  readonly wrongMatches: number;
  readonly shrank: number;
  readonly incomplete: number;
  readonly done: boolean;
  readonly last: number;
}

function startReader(path: string): { ready: Promise<void>; summary: Promise<ReaderSummary> } {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', readerSource, JSON.stringify([path, baseLayers, digestOf('app')])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let summary: ReaderSummary | undefined;
  lines.on('line', (line) => {
    if (line === 'ready') markReady();
    else summary = JSON.parse(line) as ReaderSummary;
  });
  const exited = new Promise<ReaderSummary>((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0 && summary !== undefined) resolve(summary);
      else reject(new Error(`reader exited with ${code}: ${stderr}`));
    });
  });
  return { ready: Promise.race([ready, exited.then(() => undefined)]), summary: exited };
}

describe('BaseImageCatalogue with concurrent readers', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-base-images-readers-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lets several processes read while one writes, each seeing whole entries only', async () => {
    const path = join(dir, 'base-images.sqlite');
    const entry = (tag: string) => ({
      name: 'library/base',
      tag,
      digest: digestOf(`manifest ${tag}`),
      platform: { os: 'linux', architecture: 'amd64' },
      diffIds: baseLayers,
      addedBy: 'catalogued' as const,
      findings: { critical: 0, high: 7, medium: 0, low: 0, unknown: 0 },
    });
    const writer = BaseImageCatalogue.open(path, { create: true });
    try {
      writer.add(entry('first'));
      const readers = Array.from({ length: 4 }, () => startReader(path));
      await Promise.all(readers.map((reader) => reader.ready));
      // One transaction per entry, so readers meet many commits.
      for (let i = 0; i < 150; i++) writer.add(entry(`t${i}`));
      writer.add(entry('done'));
      const summaries = await Promise.all(readers.map((reader) => reader.summary));
      for (const summary of summaries) {
        assert.ok(summary.reads > 0);
        assert.equal(summary.wrongMatches, 0);
        assert.equal(summary.shrank, 0);
        assert.equal(summary.incomplete, 0);
        assert.equal(summary.done, true);
        assert.equal(summary.last, 152);
      }
    } finally {
      writer.close();
    }
  });
});
