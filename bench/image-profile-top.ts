/**
 * The top self-time functions of a V8 CPU profile (`node --cpu-prof`), for reading where a scan
 * that misses its target spends its time:
 *   node --import tsx bench/image-profile-top.ts FILE.cpuprofile [COUNT]
 * Scans in fresh processes write such profiles when BENCH_CPU_PROF=DIR is set (bench/scan-once.ts).
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, count = '15'] = process.argv.slice(2);
if (!file) throw new Error('usage: image-profile-top.ts FILE.cpuprofile [COUNT]');
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const selfMicros = new Map<string, number>();
let total = 0;
for (const [index, id] of profile.samples.entries()) {
  const frame = frames.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  total += delta;
  if (!frame) continue;
  const where = frame.url
    ? `${relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`
    : '';
  const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
}
const top = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(count));
process.stdout.write(
  `${file}: ${(total / 1e6).toFixed(2)} s sampled\n| self (s) | share | function |\n|---|---|---|\n`,
);
for (const [key, micros] of top) {
  process.stdout.write(
    `| ${(micros / 1e6).toFixed(2)} | ${((100 * micros) / total).toFixed(1)} % | ${key} |\n`,
  );
}
