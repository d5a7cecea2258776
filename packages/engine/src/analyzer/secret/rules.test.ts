import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskSecret } from './mask.ts';
import { secretCategories, secretSeverities } from './rule.ts';
import { compileSecretRules } from './rule-set.ts';
import { ruleVectors } from './rule-vectors.ts';
import { builtinContentRules, builtinFileRules } from './rules/index.ts';
import { scanFile } from './scan-file.ts';

const rules = compileSecretRules();

describe('built-in secret rules', () => {
  it('has at least 120 kinds, each with a unique kebab-case id and complete fields', () => {
    const all = [...builtinContentRules, ...builtinFileRules];
    assert.ok(all.length >= 120, `${all.length} rules`);
    assert.equal(new Set(all.map((rule) => rule.id)).size, all.length);
    for (const rule of all) {
      assert.match(rule.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, rule.id);
      assert.ok(rule.title.length > 0 && rule.formats.length > 0, rule.id);
      assert.ok((secretSeverities as readonly string[]).includes(rule.severity), rule.id);
      assert.ok((secretCategories as readonly string[]).includes(rule.category), rule.id);
    }
    for (const rule of builtinContentRules) {
      assert.ok(rule.keywords.length > 0, `${rule.id} has no keyword`);
      for (const keyword of rule.keywords) assert.equal(keyword, keyword.toLowerCase(), rule.id);
      assert.match(rule.pattern.source, /\(\?<secret>/, `${rule.id} has no secret group`);
    }
  });

  it('has a vector for every content rule and none for a rule that does not exist', () => {
    const ids = new Set(builtinContentRules.map((rule) => rule.id));
    for (const id of ids) assert.ok(id in ruleVectors, `no vector for ${id}`);
    for (const id of Object.keys(ruleVectors)) assert.ok(ids.has(id), `vector for unknown rule ${id}`);
  });

  for (const rule of builtinContentRules) {
    describe(rule.id, () => {
      const vector = ruleVectors[rule.id];
      it('finds the secret in a realistic file, masked, on the right line', () => {
        assert.ok(vector, `no vector for ${rule.id}`);
        const { path, text, line, secret } = vector.positive;
        const result = scanFile(rules, path, Buffer.from(text));
        const hits = result.matches.filter((match) => match.ruleId === rule.id);
        assert.equal(hits.length, 1, `${rule.id}: ${JSON.stringify(result)}`);
        const [hit] = hits;
        assert.equal(hit?.line, line);
        assert.equal(hit?.secret, maskSecret(secret));
        assert.equal(hit?.severity, rule.severity);
        assert.ok(hit?.excerpt.includes('*'), 'the excerpt is masked');
        // No returned object carries the raw secret (nor, for a PEM body, any of its lines).
        const serialised = JSON.stringify(result);
        assert.ok(!serialised.includes(secret), `${rule.id}: raw secret in ${serialised}`);
        for (const part of secret.split(/\\n|\n/).filter((piece) => piece.length >= 16))
          assert.ok(!serialised.includes(part), `${rule.id}: part of the secret in ${serialised}`);
      });
      it('does not fire on the near miss', () => {
        assert.ok(vector, `no vector for ${rule.id}`);
        const { path, text } = vector.negative;
        const result = scanFile(rules, path, Buffer.from(text));
        assert.deepEqual(
          result.matches.filter((match) => match.ruleId === rule.id),
          [],
        );
      });
    });
  }
});
