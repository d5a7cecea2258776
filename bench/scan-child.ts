/**
 * Runs one scan in a fresh process and prints its wall time and peak RSS as JSON, so the
 * benchmark measures Drydock alone (not the process that built and pushed the image).
 *   node --import tsx bench/scan-child.ts REFERENCE
 */
import { openImageSource, scanSource } from '@drydock/engine';

const reference = process.argv[2];
if (!reference) throw new Error('usage: scan-child.ts REFERENCE');
const started = performance.now();
const source = await openImageSource(reference, { insecure: true });
const report = await scanSource(source, { signal: AbortSignal.timeout(600_000) });
await source.close();
const seconds = (performance.now() - started) / 1000;
const image = report.images[0];
process.stdout.write(
  JSON.stringify({
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    files: image?.files.files ?? 0,
    layers: image?.layers.length ?? 0,
    os: image?.os?.prettyName ?? null,
  }),
);
