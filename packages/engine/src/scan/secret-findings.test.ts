import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretFact } from '../analyzer/fact.ts';
import type { SecretMatch } from '../analyzer/secret/secret-match.ts';
import { secretFindings } from './secret-findings.ts';

function match(path: string, fingerprint: string): SecretMatch {
  return {
    ruleId: 'github-classic-pat',
    title: 'GitHub personal access token',
    severity: 'critical',
    category: 'saas',
    path,
    line: 1,
    column: 7,
    secret: 'ghp_****',
    excerpt: 'token=ghp_****',
    fingerprint,
  };
}

function fact(layer: number, path: string, fingerprint: string): SecretFact {
  return {
    kind: 'secret',
    layer: { index: layer, digest: `sha256:${layer}`, diffId: undefined, createdBy: undefined },
    path,
    match: match(path, fingerprint),
  };
}

describe('secretFindings', () => {
  it('reports a secret copied unchanged into later layers once, at the layer it entered', () => {
    const findings = secretFindings(
      [fact(2, 'app/.env', 'f1'), fact(0, 'app/.env', 'f1'), fact(1, 'etc/token', 'f2')],
      [],
      (path) => (path === 'app/.env' ? 2 : undefined),
    );
    assert.deepEqual(
      findings.map((finding) => [finding.path, finding.layer?.index, finding.inFinalFilesystem]),
      [
        ['app/.env', 0, true],
        ['etc/token', 1, false],
      ],
    );
  });

  it('says a secret is gone when the final copy of the file no longer holds it', () => {
    const findings = secretFindings([fact(0, 'app/.env', 'old')], [], () => 1);
    assert.equal(findings[0]?.inFinalFilesystem, false);
  });

  it('puts the image configuration first, as location config without a layer', () => {
    const findings = secretFindings([fact(0, 'app/.env', 'f1')], [match('config:env/TOKEN', 'c1')], () => 0);
    assert.deepEqual(
      findings.map((finding) => [finding.location, finding.path, finding.layer]),
      [
        ['config', 'config:env/TOKEN', undefined],
        ['file', 'app/.env', findings[1]?.layer],
      ],
    );
  });
});
