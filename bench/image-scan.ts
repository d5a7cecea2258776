/**
 * The images part of `npm run bench` (also `npm run bench:image`): builds or reuses the benchmark
 * images (bench/image-set.ts), pushes each to a local registry and measures, per image, the cold
 * scan in a fresh process beside its floor (fetch + decompress the same layers with Node's zlib,
 * nothing else, in the same run), the warm re-scan with every layer cached (`drydock image
 * --cache-dir`) and the scan's peak RSS; then the secret rules' MB/s on one core beside the read
 * floor, and CLI start-up beside `node -e 0`. Best of BENCH_RUNS (default 3) runs; BENCH_LARGE=0
 * leaves out the 3 GB and million-file images, BENCH_IMAGES=a,b picks images by name. Figures only: targets are marked, never asserted.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isBundleCurrent } from '../packages/cli/bin/bundle.js';
import { startRegistry } from '../test/harness/registry.ts';
import { pushLayout } from '../test/harness/skopeo.ts';
import { fetchAndDecompressFloor } from './floor.ts';
import { emitSection, seconds, type ReportRow } from './image-report.ts';
import { secretThroughput } from './image-secret-rate.ts';
import { benchImages } from './image-set.ts';
import { cliStartup } from './image-startup.ts';
import { warmRescanSeconds } from './image-warm-scan.ts';
import { nodeFlags } from '../packages/cli/bin/node-flags.js';
import { fastest, scanOnce, type ScanFigures } from './scan-once.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const large = process.env['BENCH_LARGE'] !== '0';
/** BENCH_IMAGES=name,name: only these images (for profiling one); default all. */
const imageNames = process.env['BENCH_IMAGES']?.split(',');
const targetRatio = 1.3;
const targetWarmSeconds = 0.3;
const targetRssMb = 300;
const targetStartupSeconds = 0.3;
const MB = 1e6;
/** The image whose text files the secret rate is measured on (when it is among those scanned). */
const secretImage = 'debian-node';

interface LayerDescriptor {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

async function manifestLayers(layout: string, tag: string): Promise<LayerDescriptor[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`tag ${tag} not in ${layout}`);
  const manifest = JSON.parse(
    await readFile(join(layout, 'blobs', 'sha256', entry.digest.slice(7)), 'utf8'),
  ) as {
    layers: LayerDescriptor[];
  };
  return manifest.layers;
}

// Stopped by run-all (or a terminal): exit through 'exit', where the harness kills the registry it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

// The warm re-scan and the start-up run packages/cli/bin/drydock.js, which falls back to the
// TypeScript sources through tsx when the bundle is older than them: measure the CLI as it ships.
if (!isBundleCurrent())
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build-cli.mjs')]);

const rows: ReportRow[] = [];
const notes: string[] = [];
const registry = await startRegistry({ auth: 'none' });
try {
  let secretReference: string | undefined;
  for (const image of benchImages(large).filter((image) => imageNames?.includes(image.name) ?? true)) {
    const { layout, tag } = await image.build();
    const layers = await manifestLayers(layout, tag);
    const repository = `bench/${image.name}`;
    const reference = `${registry.host}/${repository}:${tag}`;
    await pushLayout(layout, tag, reference, { timeoutMs: 1_800_000 });
    if (image.name === secretImage) secretReference = reference;

    const floors: number[] = [];
    const scans: ScanFigures[] = [];
    let uncompressed = 0;
    for (let i = 0; i < runs; i++) {
      const floor = await fetchAndDecompressFloor(registry.url, repository, layers);
      floors.push(floor.seconds);
      uncompressed = floor.bytes;
      scans.push(await scanOnce(reference));
    }
    const floor = Math.min(...floors);
    const best = fastest(scans);
    const ratio = best.seconds / floor;
    const peakRss = Math.max(...scans.map((scan) => scan.maxRssMb));
    const warm = await warmRescanSeconds(reference, runs);
    rows.push(
      {
        measure: `${image.name}: cold scan (s)`,
        value: seconds(best.seconds),
        floor: seconds(floor),
        ratio: ratio.toFixed(2),
        target: `≤ ${targetRatio} × floor`,
        met: ratio <= targetRatio,
      },
      warm === undefined
        ? {
            measure: `${image.name}: warm re-scan, layers cached (s)`,
            value: 'not available',
            target: `< ${targetWarmSeconds}`,
          }
        : {
            measure: `${image.name}: warm re-scan, layers cached (s)`,
            value: seconds(warm),
            ratio: (warm / best.seconds).toFixed(2),
            target: `< ${targetWarmSeconds}`,
            met: warm < targetWarmSeconds,
          },
      {
        measure: `${image.name}: peak RSS of the scan (MB)`,
        value: peakRss.toFixed(0),
        target: `< ${targetRssMb}`,
        met: peakRss < targetRssMb,
      },
    );
    const compressed = layers.reduce((sum, layer) => sum + layer.size, 0);
    notes.push(
      `${image.name}: ${image.description}; ${layers.length} layers, ${(compressed / MB).toFixed(0)} MB compressed, ${(uncompressed / MB).toFixed(0)} MB uncompressed, ${best.files} files, ${best.os ?? 'no OS detected'}`,
    );
  }

  if (secretReference) {
    const secrets = await secretThroughput(secretReference, runs);
    rows.push({
      measure: 'secret scan, one core (MB/s)',
      value: secrets.scanRate.toFixed(0),
      floor: secrets.readRate.toFixed(0),
      ratio: (secrets.scanRate / secrets.readRate).toFixed(2),
    });
    notes.push(
      `secret scan: scanFile over the ${secrets.files} text files of ${secretImage} (${(secrets.bytes / MB).toFixed(0)} MB, ${secrets.hits} hits with the default allowlist off); floor: reading the same files, 16 in flight, page cache warm (MB/s; ratio = scan rate / read rate)`,
    );
  }
} finally {
  await registry.stop();
}

const startup = cliStartup(10);
rows.push({
  measure: 'CLI start-up: drydock --version (s)',
  value: seconds(startup.cli),
  floor: seconds(startup.node),
  ratio: (startup.cli / startup.node).toFixed(2),
  target: `< ${targetStartupSeconds}`,
  met: startup.cli < targetStartupSeconds,
});
notes.push(
  `cold scan: bench/scan-child.ts in a fresh process, bundled as the CLI ships and with its Node flags (inventory, every analyzer, no secret or malware checks), best of ${runs}; floor: fetching the same layer blobs and gunzipping them with Node's zlib, best of ${runs}, in the same run; peak RSS: the scan process's VmHWM, the largest of the runs`,
  `warm re-scan: \`drydock image --cache-dir DIR --scanners inventory\` after one scan filled DIR, the CLI process's wall time (start-up included), best of ${runs}; ratio = warm / cold`,
  `CLI start-up: median of 10 fresh \`node ${nodeFlags.join(' ')} packages/cli/bin/drydock.js --version\` (${startup.version}); floor: median of 10 fresh \`node -e 0\``,
);
if (!large) notes.push('BENCH_LARGE=0: the 3 GB and million-file images were left out');
emitSection('Images: drydock image on real images (bench/image-scan.ts)', rows, notes);
