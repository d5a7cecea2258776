/**
 * Image scan benchmark (issue "Foundation and image access"): builds or reuses a real image of
 * several hundred MB (Debian rootfs + node_modules tree), pushes it to a local registry, and prints
 * `drydock` scan time beside the floor measured in the same run (fetch + decompress the same
 * layers with Node's zlib and nothing else), with the ratio and peak RSS against their targets.
 *
 *   npm run bench:image            (first run builds the fixtures: about 2 minutes)
 */
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pushLayout } from '../test/harness/skopeo.ts';
import { startRegistry } from '../test/harness/registry.ts';
import { benchImageLayout, nodeModulesLayout } from './fixtures.ts';
import { readTreeFloor } from './read-tree.ts';
import { fetchAndDecompressFloor } from './floor.ts';
import { scanOnce, type ScanFigures } from './scan-once.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const targetRatio = 1.3;
const targetRssMb = 300;

async function manifestLayers(
  layout: string,
  tag: string,
): Promise<{ digest: string; mediaType: string; size: number }[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`tag ${tag} not in ${layout}`);
  const manifest = JSON.parse(
    await readFile(join(layout, 'blobs', 'sha256', entry.digest.slice(7)), 'utf8'),
  ) as {
    layers: { digest: string; mediaType: string; size: number }[];
  };
  return manifest.layers;
}

const { layout, tag } = await benchImageLayout();
const layers = await manifestLayers(layout, tag);
const registry = await startRegistry({ auth: 'none' });
try {
  const repository = 'bench/debian-node';
  const reference = `${registry.host}/${repository}:${tag}`;
  await pushLayout(layout, tag, reference);

  const floors: number[] = [];
  const scans: ScanFigures[] = [];
  let uncompressed = 0;
  for (let i = 0; i < runs; i++) {
    const floor = await fetchAndDecompressFloor(registry.url, repository, layers);
    floors.push(floor.seconds);
    uncompressed = floor.bytes;
    scans.push(await scanOnce(reference));
  }
  const node = await nodeModulesLayout();
  const treeFloors: number[] = [];
  const treeScans: ScanFigures[] = [];
  let treeFiles = 0;
  for (let i = 0; i < runs; i++) {
    const tree = await readTreeFloor(node.directory);
    treeFloors.push(tree.seconds);
    treeFiles = tree.files;
    treeScans.push(await scanOnce(`oci:${node.layout}:${node.tag}`));
  }
  const treeFloor = Math.min(...treeFloors);
  const treeScan = Math.min(...treeScans.map((scan) => scan.seconds));

  const floor = Math.min(...floors);
  const best = scans.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  const peakRss = Math.max(...scans.map((scan) => scan.maxRssMb));
  const ratio = best.seconds / floor;
  const compressed = layers.reduce((sum, layer) => sum + layer.size, 0);
  const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    `image: ${best.layers} layers, ${mb(compressed)} MB compressed, ${mb(uncompressed)} MB uncompressed, ${best.files} files, ${best.os ?? 'unknown OS'}`,
    `runs: ${runs} (best of each shown)`,
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| floor: fetch + decompress (s) | ${floor.toFixed(2)} | |`,
    `| drydock image scan (s) | ${best.seconds.toFixed(2)} | |`,
    `| ratio to floor | ${ratio.toFixed(2)} | ≤ ${targetRatio} ${ratio <= targetRatio ? '✓' : '✗'} |`,
    `| peak RSS (MB) | ${peakRss.toFixed(0)} | < ${targetRssMb} ${peakRss < targetRssMb ? '✓' : '✗'} |`,
    `| node_modules alone (${treeFiles} files): read every file (s) | ${treeFloor.toFixed(2)} | |`,
    `| node_modules alone: drydock scan of it as an uncompressed layer (s) | ${treeScan.toFixed(2)} | ≤ read time ${treeScan <= treeFloor ? '✓' : '✗'} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await registry.stop();
}
