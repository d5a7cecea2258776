/**
 * Runs one scan in a fresh process and prints its wall time and peak RSS as JSON, so the
 * benchmark measures Drydock alone (not the process that built and pushed the image).
 *   node --import tsx bench/scan-child.ts REFERENCE [--secrets] [--malware STORE] [--yara FILE]
 * (bench/scan-once.ts runs it bundled, as the CLI ships, with the launcher's Node flags).
 * Without options: the inventory only (every analyzer, no secret or malware checks). `--malware none`:
 * the malware engines without a hash store (EICAR only, as `drydock image` runs before any import).
 * DRYDOCK_SECRET_THREADS=N sets the secret scanner's worker threads (default: SecretScanner's).
 */
import { readFileSync } from 'node:fs';
import { MalwareScanner, SecretScanner, openImageSource, scanSource } from '@drydock/engine';

/**
 * This process's own peak RSS (VmHWM). Not getrusage's maxRSS: Linux carries that over from the
 * parent across fork and exec, so a child of a large benchmark process would report the parent's.
 */
function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match?.[1] === undefined ? process.resourceUsage().maxRSS / 1024 : Number(match[1]) / 1024;
}

const [reference, ...options] = process.argv.slice(2);
if (!reference) throw new Error('usage: scan-child.ts REFERENCE [--secrets] [--malware STORE] [--yara FILE]');
const valueOf = (name: string): string | undefined => {
  const at = options.indexOf(name);
  return at === -1 ? undefined : options[at + 1];
};
const started = performance.now();
const threads = process.env['DRYDOCK_SECRET_THREADS'];
const secrets = options.includes('--secrets')
  ? new SecretScanner(threads === undefined ? {} : { threads: Number(threads) })
  : undefined;
const store = valueOf('--malware');
const yara = valueOf('--yara');
const malware =
  store === undefined
    ? undefined
    : await MalwareScanner.open({
        hashStorePath: store === 'none' ? null : store,
        ...(yara ? { yaraRules: [yara] } : {}),
      });
const source = await openImageSource(reference, { insecure: true });
const report = await scanSource(source, {
  signal: AbortSignal.timeout(600_000),
  ...(secrets ? { secrets: { scanner: secrets } } : {}),
  ...(malware ? { malware } : {}),
});
await source.close();
await secrets?.close();
await malware?.close();
const seconds = (performance.now() - started) / 1000;
const image = report.images[0];
process.stdout.write(
  JSON.stringify({
    seconds,
    maxRssMb: peakRssMb(),
    files: image?.files.files ?? 0,
    layers: image?.layers.length ?? 0,
    os: image?.os?.prettyName ?? null,
    secrets: image?.secrets?.length ?? null,
    malware: image?.malware?.length ?? null,
  }),
);
