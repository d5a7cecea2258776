/**
 * `npm run bench`: runs every part of the benchmark in a fresh child process, in order, each
 * appending its markdown section to one report file (BENCH_REPORT_FILE, see bench/image-report.ts),
 * then writes that report with the machine it ran on as a new dated section at the top of
 * bench/RESULTS.md (below its title). A part whose script does not exist yet is reported as
 * "not built"; a part that fails is reported with its exit status and the rest still run. SIGINT or
 * SIGTERM stops the running part and skips the rest, and the section is still written with what ran.
 *
 *   npm run bench                     every part
 *   BENCH_ONLY=images npm run bench   one part (by name)
 *   BENCH_RESULTS=FILE                write to FILE instead of bench/RESULTS.md
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { withNewestSection } from './run-all-results.ts';

interface BenchPart {
  readonly name: string;
  readonly script: string;
}

const parts: readonly BenchPart[] = [
  { name: 'images', script: 'image-scan.ts' },
  { name: 'rematch', script: 'rematch.ts' },
  { name: 'shared-base-throughput', script: 'shared-base-throughput.ts' },
  { name: 'api-under-scan', script: 'api-under-scan.ts' },
];

const only = process.env['BENCH_ONLY'];
const selected = only === undefined ? parts : parts.filter((part) => part.name === only);
if (selected.length === 0) {
  process.stderr.write(
    `BENCH_ONLY=${only}: no such part (parts: ${parts.map((part) => part.name).join(', ')})\n`,
  );
  process.exit(2);
}
const resultsFile = process.env['BENCH_RESULTS'] ?? join(import.meta.dirname, 'RESULTS.md');

function osName(): string {
  const text = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? process.platform;
  return `${pretty}, Linux ${release()}`;
}

function load(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** The part running now, and the signal that stopped the run (the section is still written). */
let running: ChildProcess | undefined;
let stoppedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stoppedBy = signal;
    running?.kill(signal);
  });
}

function runPart(part: BenchPart, reportFile: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, part.script)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_REPORT_FILE: reportFile },
    });
    running = child;
    child.once('error', reject);
    child.once('close', (code) => {
      running = undefined;
      resolve(code);
    });
  });
}

const started = new Date();
const loadBefore = load();
const work = await mkdtemp(join(tmpdir(), 'drydock-bench-report-'));
const reportFile = join(work, 'report.md');
try {
  await writeFile(reportFile, '');
  for (const part of selected) {
    if (stoppedBy) break;
    process.stdout.write(`\n== bench part: ${part.name} (bench/${part.script})\n`);
    if (!existsSync(join(import.meta.dirname, part.script))) {
      const text = `### ${part.name} (bench/${part.script})\n\nnot built\n\n`;
      process.stdout.write(text);
      await appendFile(reportFile, text);
      continue;
    }
    const code = await runPart(part, reportFile);
    if (stoppedBy) {
      const text = `### ${part.name} (bench/${part.script})\n\nstopped by ${stoppedBy} at ${new Date().toISOString().slice(11, 16)} UTC; the parts after it did not run\n\n`;
      process.stdout.write(text);
      await appendFile(reportFile, text);
      break;
    }
    if (code !== 0) {
      const text = `### ${part.name} (bench/${part.script})\n\nfailed: exit status ${code}; the output above is its log\n\n`;
      process.stdout.write(text);
      await appendFile(reportFile, text);
    }
  }
  const finished = new Date();
  const cpu = cpus();
  const header = [
    `## ${started.toISOString().slice(0, 10)} — \`npm run bench\`${only === undefined ? '' : ` (BENCH_ONLY=${only})`}`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${osName()}, Node ${process.version}.`,
    `Ran ${started.toISOString().slice(0, 16).replace('T', ' ')}–${finished.toISOString().slice(11, 16)} UTC; BENCH_RUNS=${process.env['BENCH_RUNS'] ?? 3} (best run of each shown), BENCH_LARGE=${process.env['BENCH_LARGE'] ?? 1}.`,
    `Load average (1 / 5 / 15 min) before: ${loadBefore}, after: ${load()}. The machine is shared with other engineers' test runs, so figures carry their noise; every floor was measured in the same run, beside its figure.`,
    '',
  ].join('\n');
  const section = `${header}\n${(await readFile(reportFile, 'utf8')).trimEnd()}\n`;
  // Re-read just before writing: other engineers may have changed the file meanwhile.
  const results = existsSync(resultsFile) ? await readFile(resultsFile, 'utf8') : '# Benchmark results\n';
  await writeFile(resultsFile, withNewestSection(results, section));
  process.stdout.write(`\nbench: wrote the results to ${resultsFile}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
