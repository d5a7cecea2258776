import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let directory: string | undefined;

/**
 * The DRYDOCK_CACHE_DIR of the `drydock` processes a test file starts, unless the test names its
 * own: one temporary directory per test process, removed when it exits. Never the developer's
 * ~/.cache/drydock: a vulnerability database there (from `scripts/start.sh`, or of an older
 * schema) changed what the scans found and made commands fail that pass on a fresh machine.
 */
export function testCacheDir(): string {
  if (directory === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'drydock-test-cache-'));
    directory = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return directory;
}
