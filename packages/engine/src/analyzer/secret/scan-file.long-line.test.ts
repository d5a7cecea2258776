/**
 * Thousands of secrets on one long line. Found by the fuzzer (test/fuzz/config-files.test.ts): a
 * 740 KB file of one JSON service-account record repeated 3,800 times on a single line kept the
 * scan busy for over 30 s, since every match searched from itself to the line's ends and through
 * every other match of the file to mask its excerpt.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from './rule-set.ts';
import { fake } from './rule-vectors.ts';
import { scanFile } from './scan-file.ts';

describe('scanFile on a line of thousands of secrets', () => {
  it('reports each with its column and a masked excerpt, without a hang', () => {
    const body = fake('b64', 64);
    const record = `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n"}`;
    const text = record.repeat(3800);
    const started = performance.now();
    const result = scanFile(compileSecretRules(), 'app/config.json', Buffer.from(text));
    // A hang check, not a timing assertion: this takes a fraction of a second, and took minutes.
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10_000, `scanning took ${Math.round(elapsed)} ms`);
    assert.ok(result.matches.length >= 3800, `${result.matches.length} matches`);
    const columns = new Set(result.matches.map((match) => match.column));
    assert.equal(columns.size, result.matches.length, 'each match has a column of its own');
    for (const match of result.matches) {
      assert.equal(match.line, 1);
      assert.ok(!match.excerpt.includes(body.slice(8, 40)), `an excerpt shows the key: ${match.excerpt}`);
    }
    assert.ok(result.matches.at(-1)?.excerpt.startsWith('…'), 'an excerpt cut from a long line says so');
  });
});
