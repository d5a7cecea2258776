import { writeFile } from 'node:fs/promises';
import pc from 'picocolors';
import {
  formatCycloneDx,
  formatJson,
  formatSpdx,
  isDrydockError,
  openImageSource,
  parsePlatform,
  scanSource,
  toDrydockError,
  type RegistryCredentials,
  type ScanReport,
} from '@drydock/engine';
import { readFile } from 'node:fs/promises';
import { parseDuration } from '../duration.ts';
import { formatTable } from '../format/table.ts';
import { terminalProgress } from '../progress.ts';

/** Exit status of a scan that could not be completed; distinct from `--exit-code` for findings. */
export const errorExitCode = 2;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function credentialsFrom(options: Record<string, unknown>): Promise<RegistryCredentials | undefined> {
  const token = (options['registryToken'] as string | undefined) ?? process.env['DRYDOCK_REGISTRY_TOKEN'];
  if (token) return { kind: 'bearer', token };
  const username = (options['username'] as string | undefined) ?? process.env['DRYDOCK_USERNAME'];
  if (!username) return undefined;
  const password = options['passwordStdin']
    ? await readStdin()
    : ((options['password'] as string | undefined) ?? process.env['DRYDOCK_PASSWORD'] ?? '');
  return { kind: 'basic', username, password };
}

function render(report: ScanReport, format: string, table: { color: boolean }): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'cyclonedx':
      return formatCycloneDx(report);
    case 'spdx-json':
      return formatSpdx(report);
    default:
      return formatTable(report, table);
  }
}

export async function runImageCommand(reference: string, options: Record<string, unknown>): Promise<number> {
  const timeout = AbortSignal.timeout(parseDuration(String(options['timeout'] ?? '10m')));
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  const signal = AbortSignal.any([timeout, interrupt.signal]);
  const progress = terminalProgress(options['progress'] !== false);
  try {
    const caFile = options['caCert'] as string | undefined;
    const source = await openImageSource(reference, {
      credentials: await credentialsFrom(options),
      insecure: options['insecure'] === true,
      skipTlsVerify: options['skipTlsVerify'] === true,
      ...(caFile ? { caPem: await readFile(caFile, 'utf8') } : {}),
    });
    try {
      const platform =
        typeof options['platform'] === 'string' ? parsePlatform(options['platform']) : undefined;
      const report = await scanSource(source, {
        signal,
        ...(platform ? { platform } : {}),
        allPlatforms: options['allPlatforms'] === true,
        ...(progress.listener ? { onProgress: progress.listener } : {}),
      });
      progress.stop();
      const text = render(report, String(options['format'] ?? 'table'), {
        color: !options['output'] && process.stdout.isTTY === true,
      });
      if (typeof options['output'] === 'string') await writeFile(options['output'], text);
      else process.stdout.write(text);
      return 0;
    } finally {
      await source.close();
    }
  } catch (error) {
    progress.stop();
    const failure = toDrydockError(error, signal);
    const reason = failure.reason ? ` (${failure.reason})` : '';
    process.stderr.write(`${pc.red('drydock: error')} [${failure.code}${reason}] ${failure.message}\n`);
    if (!isDrydockError(error) || failure.code === 'internal_error') {
      if (process.env['DRYDOCK_DEBUG'] && error instanceof Error)
        process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return errorExitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
