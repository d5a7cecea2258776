import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxYamlFlowNesting } from '../../util/yaml-nesting.ts';
import { isCompliancePolicyError, parseCompliancePolicy } from './policy-file.ts';

describe('parseCompliancePolicy', () => {
  it('reads every field, with the project’s own prohibited software', () => {
    const policy = parseCompliancePolicy(
      `forbiddenCategories: [forbidden, restricted]
allowIds: [LGPL-2.1]
denyIds: [SSPL-1.0]
restrictedScope: all
endOfLifeNoticeDays: 30
allowSoftware: [socat]
prohibitedSoftware:
  - id: acme-backdoor
    category: remote-access
    severity: critical
    reason: The vendor's remote support agent, removed from production images by policy.
    packages: { deb: [acme-agent] }
    binaries: [acme-agentd]
    sha256: ["${'ab'.repeat(32)}"]
`,
      'policy.yaml',
    );
    assert.deepEqual(policy.forbiddenCategories, ['forbidden', 'restricted']);
    assert.equal(policy.restrictedScope, 'all');
    assert.equal(policy.endOfLifeNoticeDays, 30);
    assert.deepEqual(policy.prohibitedSoftware?.[0]?.packages, { deb: ['acme-agent'] });
    assert.deepEqual(policy.prohibitedSoftware?.[0]?.binaries, ['acme-agentd']);
    assert.deepEqual(parseCompliancePolicy('', 'empty.yaml'), {});
  });

  it('names each problem: unknown fields, categories and ecosystems, bad ids and digests', () => {
    try {
      parseCompliancePolicy(
        `forbiddenCategories: [forbiden]
denyLicenses: [GPL-3.0]
prohibitedSoftware:
  - id: Bad Id
    category: remote-access
    severity: severe
    reason: x
    packages: { debian: [x] }
    sha256: [nothex]
`,
        'policy.yaml',
      );
      assert.fail('accepted');
    } catch (error) {
      assert.ok(isCompliancePolicyError(error));
      assert.equal(error.code, 'invalid_compliance_policy');
      const fields = error.issues.map((issue) => issue.split(':')[0]);
      for (const field of [
        'forbiddenCategories.0',
        '(top)',
        'prohibitedSoftware.0.id',
        'prohibitedSoftware.0.severity',
        'prohibitedSoftware.0.packages',
        'prohibitedSoftware.0.sha256.0',
      ])
        assert.ok(fields.includes(field), `${field} in ${error.issues.join(' | ')}`);
    }
  });

  it('refuses flow collections nested deeper than YAML files are read, before parsing them', () => {
    assert.throws(
      () => parseCompliancePolicy('{"a":'.repeat(maxYamlFlowNesting + 1), 'policy.yaml'),
      (error: unknown) =>
        isCompliancePolicyError(error) &&
        error.issues.join() === `collections nested deeper than ${maxYamlFlowNesting} levels`,
    );
  });

  it('reports YAML that does not parse', () => {
    assert.throws(
      () => parseCompliancePolicy('allowIds: [unclosed', 'broken.yaml'),
      (error: unknown) => isCompliancePolicyError(error) && error.issues.length === 1,
    );
  });
});
