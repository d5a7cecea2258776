import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinAnalyzers } from './registry.ts';

/** The contract every analyzer keeps, checked over the whole list. */
describe('analyzer contract', () => {
  it('has unique ids and positive versions', () => {
    const ids = builtinAnalyzers.map((analyzer) => analyzer.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const analyzer of builtinAnalyzers) {
      assert.match(analyzer.id, /^[a-z0-9-]+$/, analyzer.id);
      assert.ok(Number.isInteger(analyzer.version) && analyzer.version > 0, analyzer.id);
    }
  });

  for (const analyzer of builtinAnalyzers) {
    it(`${analyzer.id} wants normalised paths and a size cap`, () => {
      const { wants } = analyzer;
      assert.ok(wants.maxBytes > 0 && Number.isFinite(wants.maxBytes));
      for (const path of [...(wants.paths ?? []), ...(wants.prefixes ?? [])]) {
        assert.ok(
          !path.startsWith('/') && !path.startsWith('./') && !path.split('/').includes('..'),
          `${analyzer.id}: ${path}`,
        );
      }
      for (const prefix of wants.prefixes ?? []) assert.ok(prefix.endsWith('/'), `${analyzer.id}: ${prefix}`);
      for (const basename of wants.basenames ?? [])
        assert.ok(!basename.includes('/'), `${analyzer.id}: ${basename}`);
    });

    it(`${analyzer.id} survives garbage input without throwing`, async () => {
      const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };
      const garbage = [
        Buffer.alloc(0),
        Buffer.from([0xff, 0xfe, 0x00, 0x01]),
        Buffer.from('='.repeat(1000)),
        Buffer.from('\u0000KEY="unterminated'),
      ];
      const context = { layer, signal: new AbortController().signal };
      const path = analyzer.wants.paths?.[0] ?? 'x';
      for (const content of garbage) {
        const file = { path, size: content.length, mode: 0o100644, content };
        const facts =
          analyzer.kind === 'each'
            ? await analyzer.analyze(file, context)
            : await analyzer.analyzeGroup([file], context);
        assert.ok(Array.isArray(facts));
      }
    });
  }
});
