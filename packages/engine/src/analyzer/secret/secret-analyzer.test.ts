import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzip, packLayer, streamOf, walkInput, type FixtureEntry } from '../../layer/tar-fixtures.ts';
import { walkLayer } from '../../layer/walk-layer.ts';
import type { Fact } from '../fact.ts';
import { fake } from './rule-vectors.ts';
import { SecretScanner } from './scanner.ts';
import { secretAnalyzer } from './secret-analyzer.ts';

const token = `ghp_${fake('b62', 36)}`;

/** Each file's secret rule ids, and the diagnostics, of one walk of `entries` with the secret rules. */
async function walkWithSecrets(entries: readonly FixtureEntry[], threads: number): Promise<string[]> {
  const scanner = new SecretScanner({ threads });
  try {
    const analyzer = secretAnalyzer(scanner);
    assert.equal(analyzer.open !== undefined, threads === 0, 'streams when it scans inline');
    const { facts } = await walkLayer(
      walkInput(streamOf(gzip(await packLayer(entries)), 4096), { analyzers: [analyzer] }),
    );
    return facts
      .map((fact: Fact) =>
        fact.kind === 'secret'
          ? `${fact.path} ${fact.match.ruleId} ${fact.match.fingerprint.slice(0, 8)}`
          : fact.kind === 'diagnostic'
            ? `${fact.path} ${fact.code}`
            : fact.kind,
      )
      .filter((line) => line !== 'file-stats')
      .sort();
  } finally {
    await scanner.close();
  }
}

describe('secretAnalyzer', () => {
  it('finds the same secrets streamed as read whole, hardlinks included', async () => {
    const entries: FixtureEntry[] = [
      { name: 'app/.env', content: `GITHUB_TOKEN=${token}\n` },
      { name: 'srv/.env', type: 'link', linkname: 'app/.env' },
      { name: 'app/big.js', content: `${'// padding\n'.repeat(3000)}const token = "${token}";\n` },
      { name: 'app/big-copy.js', type: 'link', linkname: 'app/big.js' },
      {
        name: 'usr/bin/tool',
        content: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.alloc(20_000, 7)]),
      },
      { name: 'usr/bin/tool2', type: 'link', linkname: 'usr/bin/tool' },
    ];
    const inline = await walkWithSecrets(entries, 0);
    assert.deepEqual(inline, await walkWithSecrets(entries, 1));
    assert.deepEqual(
      inline.map((line) => line.split(' ').slice(0, 2).join(' ')),
      [
        'app/.env github-classic-pat',
        'app/big-copy.js github-classic-pat',
        'app/big.js github-classic-pat',
        'srv/.env github-classic-pat',
      ],
    );
  });
  it('answers for hardlinks to files without secrets by their names, as the stream would', async () => {
    const entries: FixtureEntry[] = [
      { name: 'app/notes.txt', content: 'nothing to see here\n' },
      // The same rules apply at both names: no secrets there either.
      { name: 'app/notes-copy.txt', type: 'link', linkname: 'app/notes.txt' },
      // Rules bound to `.env` files apply at the link only: its content was not kept to search.
      { name: 'app/.env', type: 'link', linkname: 'app/notes.txt' },
    ];
    assert.deepEqual(await walkWithSecrets(entries, 0), ['app/.env hardlink_target_missing']);
  });
});
