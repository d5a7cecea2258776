import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { fake } from '../../analyzer/secret/rule-vectors.ts';
import type { ImageConfig } from '../../image/types.ts';
import { configSecretsCheck } from './image-secrets.ts';

const rules = compileSecretRules();

function config(parts: Partial<ImageConfig>): ImageConfig {
  return {
    architecture: 'amd64',
    os: 'linux',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    entrypoint: [],
    cmd: ['node', 'server.js'],
    exposedPorts: [],
    volumes: [],
    labels: {},
    diffIds: [],
    history: [],
    ...parts,
  };
}

describe('configSecretsCheck (CIS 4.10)', () => {
  it('passes on a configuration without secrets, placeholders and references included', () => {
    const result = configSecretsCheck(
      config({
        env: ['NODE_ENV=production', 'DB_PASSWORD_FILE=/run/secrets/db', 'API_TOKEN=${API_TOKEN}'],
        labels: { 'org.opencontainers.image.source': 'https://github.com/example/app' },
        history: [{ createdBy: '/bin/sh -c #(nop)  ARG NPM_TOKEN', emptyLayer: true }],
      }),
      rules,
    );
    assert.equal(result.result, 'pass');
    assert.deepEqual(result.evidence, []);
  });

  it('fails on secrets in ENV, labels, ARG defaults and build arguments, showing them masked', () => {
    const password = fake('b62', 16);
    const github = `ghp_${fake('b62', 36)}`;
    const npm = fake('b62', 24);
    const result = configSecretsCheck(
      config({
        env: ['NODE_ENV=production', `DB_PASSWORD=${password}`],
        labels: { 'ci.github-token': github },
        history: [
          { createdBy: `/bin/sh -c #(nop)  ARG NPM_TOKEN=${npm}`, emptyLayer: true },
          { createdBy: `|1 NPM_TOKEN=${npm} /bin/sh -c npm ci && rm -f .npmrc`, emptyLayer: false },
        ],
      }),
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.equal(result.id, 'cis-4.10-secrets-in-config');
    // The GitHub token's rule is critical, the name heuristic high: the worst wins.
    assert.equal(result.severity, 'critical');
    assert.equal(configSecretsCheck(config({ env: [`DB_PASSWORD=${password}`] }), rules).severity, 'high');
    assert.deepEqual(
      result.evidence.map((item) => item.location),
      ['config:env/DB_PASSWORD', 'config:label/ci.github-token', 'config:history/0', 'config:history/1'],
    );
    assert.equal(
      result.evidence[0]?.detail,
      `Secret-like value in an image ENV, label or build argument: DB_PASSWORD=${password.slice(0, 4)}${'*'.repeat(12)}`,
    );
    const serialised = JSON.stringify(result);
    for (const raw of [password, github, npm]) assert.ok(!serialised.includes(raw));
    assert.equal(
      result.current,
      '4 secrets in config:env/DB_PASSWORD, config:label/ci.github-token, config:history/0, config:history/1',
    );
  });
});
