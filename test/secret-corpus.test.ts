/**
 * The secret rules against real trees, to keep false alarms out: a Debian bookworm root filesystem
 * (mmdebstrap minbase, test/harness/debian-rootfs.ts) and a node_modules tree installed from the npm
 * registry (`npm install --ignore-scripts`). Every hit is listed and must be in the expected list below;
 * the expected hits are true findings: https-pem@1 ships an RSA private key (key.pem) as its product,
 * and debug@2 (through express@4) ships its Coveralls repository token in .coveralls.yml.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, opendir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultMaxFileBytes } from '../packages/engine/src/analyzer/secret/scan-config.ts';
import { SecretScanner, type FileToScan } from '../packages/engine/src/analyzer/secret/scanner.ts';
import { debianRootfs } from './harness/debian-rootfs.ts';

const installed = [
  'https-pem@1.0.4',
  'express@4',
  'jsonwebtoken@9',
  'dotenv@16',
  'pg@8',
  'mongodb@6',
  'ioredis@5',
  'node-forge@1',
];

/** Regular files below `root` (symbolic links, devices, sockets and FIFOs skipped), under the size cap. */
async function regularFiles(root: string, prefix: string): Promise<FileToScan[]> {
  const files: FileToScan[] = [];
  async function walk(directory: string): Promise<void> {
    for await (const entry of await opendir(directory)) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (await lstat(path)).size <= defaultMaxFileBytes)
        files.push({ path: prefix + relative(root, path), content: await readFile(path) });
    }
  }
  await walk(root);
  return files;
}

async function hits(scanner: SecretScanner, files: readonly FileToScan[]): Promise<string[]> {
  const results = await scanner.scanFiles(files);
  return results
    .flatMap((result) => result.matches.map((match) => `${match.ruleId} ${match.path}:${match.line}`))
    .sort();
}

describe('secret rules on real file trees', () => {
  const scanner = new SecretScanner({ threads: 2 });
  let project = '';

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'drydock-secret-corpus-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'secret-corpus', version: '1.0.0', private: true }),
    );
    execFileSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...installed],
      {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 300_000,
      },
    );
  });

  after(async () => {
    await scanner.close();
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  it('finds nothing in a Debian root filesystem', async () => {
    const files = await regularFiles(await debianRootfs(), '');
    assert.ok(files.length > 5000, `${files.length} files`);
    assert.deepEqual(await hits(scanner, files), []);
  });

  it('finds exactly the keys and tokens npm packages really ship in a node_modules tree', async () => {
    const files = await regularFiles(join(project, 'node_modules'), 'app/node_modules/');
    assert.ok(files.length > 1000, `${files.length} files`);
    assert.deepEqual(await hits(scanner, files), [
      'rsa-private-key app/node_modules/https-pem/key.pem:2',
      'yaml-secret app/node_modules/debug/.coveralls.yml:1',
    ]);
  });
});
