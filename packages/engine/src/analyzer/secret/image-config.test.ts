import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactEnvEntry, redactInstruction, redactLabels, scanImageConfig } from './image-config.ts';
import { compileSecretRules } from './rule-set.ts';
import { fake } from './rule-vectors.ts';

const rules = compileSecretRules();

describe('scanImageConfig', () => {
  it('finds secrets in ENV, labels and build history, masked', () => {
    const password = fake('b62', 16);
    const github = `ghp_${fake('b62', 36)}`;
    const buildArg = fake('b62', 24);
    const bearer = fake('url64', 40);
    const registry = fake('b62', 20);
    const dbPassword = fake('b62', 14);
    const config = {
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        `DB_PASSWORD=${password}`,
        'POSTGRES_PASSWORD_FILE=/run/secrets/db',
        'API_TOKEN=${API_TOKEN}',
        'TOKEN_MODE=strict',
        `DATABASE_URL=postgres://app:${dbPassword}@db:5432/app`,
      ],
      labels: { 'org.opencontainers.image.title': 'billing', 'ci.github-token': github },
      history: [
        { createdBy: '/bin/sh -c #(nop) ADD file:1234 in / ' },
        { createdBy: `|1 NPM_AUTH_TOKEN=${buildArg} /bin/sh -c npm ci` },
        {
          createdBy: `RUN /bin/sh -c curl -fsS -H "Authorization: Bearer ${bearer}" https://api.internal.net/x # buildkit`,
        },
        {
          createdBy: `RUN /bin/sh -c echo ${registry} | docker login -u ci --password-stdin registry.internal.net`,
        },
        {
          createdBy:
            'RUN /bin/sh -c echo $REGISTRY_PASSWORD | docker login -u ci --password-stdin registry.internal.net',
        },
        {},
      ],
    };
    const matches = scanImageConfig(rules, config);
    assert.deepEqual(
      matches.map((match) => [match.path, match.ruleId]),
      [
        ['config:env/DB_PASSWORD', 'image-config-secret-name'],
        ['config:env/DATABASE_URL', 'postgres-connection-string'],
        ['config:label/ci.github-token', 'github-classic-pat'],
        ['config:history/1', 'image-config-secret-name'],
        ['config:history/2', 'http-bearer-token-header'],
        ['config:history/3', 'image-config-secret-name'],
      ],
    );
    const serialised = JSON.stringify(matches);
    for (const raw of [password, github, buildArg, bearer, registry, dbPassword])
      assert.ok(!serialised.includes(raw));
    assert.equal(matches[0]?.excerpt, `DB_PASSWORD=${password.slice(0, 4)}${'*'.repeat(12)}`);
  });
});

describe('redacting the image configuration', () => {
  it('masks what scanImageConfig reports and leaves everything else as it was', () => {
    const password = fake('b62', 16);
    const github = `ghp_${fake('b62', 36)}`;
    const buildArg = fake('b62', 24);
    const dbPassword = fake('b62', 14);
    assert.equal(
      redactEnvEntry(rules, `DB_PASSWORD=${password}`),
      `DB_PASSWORD=${password.slice(0, 4)}${'*'.repeat(12)}`,
    );
    assert.equal(redactEnvEntry(rules, 'TOKEN_MODE=strict'), 'TOKEN_MODE=strict');
    assert.equal(redactEnvEntry(rules, 'PATH=/usr/bin:/bin'), 'PATH=/usr/bin:/bin');
    assert.equal(
      redactEnvEntry(rules, `DATABASE_URL=postgres://app:${dbPassword}@db:5432/app`),
      `DATABASE_URL=postgres://app:${dbPassword.slice(0, 3)}${'*'.repeat(11)}@db:5432/app`,
    );
    assert.deepEqual(redactLabels(rules, { title: 'billing', 'ci.github-token': github }), {
      title: 'billing',
      'ci.github-token': `ghp_${'*'.repeat(32)}`,
    });
    const instruction = `|1 NPM_AUTH_TOKEN=${buildArg} /bin/sh -c npm ci && echo "né"`;
    assert.equal(
      redactInstruction(rules, instruction),
      `|1 NPM_AUTH_TOKEN=${buildArg.slice(0, 4)}${'*'.repeat(20)} /bin/sh -c npm ci && echo "né"`,
    );
    const plain = '/bin/sh -c apt-get update && apt-get install -y curl';
    assert.equal(redactInstruction(rules, plain), plain);
  });
});
