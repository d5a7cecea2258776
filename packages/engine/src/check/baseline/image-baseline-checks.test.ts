import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import { fake } from '../../analyzer/secret/rule-vectors.ts';
import type { HistoryEntry, ImageConfig } from '../../image/types.ts';
import { maxDetailLength } from './history-evidence.ts';
import { imageBaselineChecks } from './image-baseline-checks.ts';

const secretRules = compileSecretRules();

/** The layers and metadata every Debian-based official image starts with (classic builder). */
const debianBase: HistoryEntry[] = [
  { createdBy: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1717977600'", emptyLayer: false },
  {
    createdBy:
      '/bin/sh -c #(nop) ADD file:4f5a660d3f5141588d3e80a6b1a8ec5b1c4ab8f43f6c8e5c3b9a5e0e7b4b3b0a in / ',
    emptyLayer: false,
  },
  { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
];

function config(parts: Partial<ImageConfig>): ImageConfig {
  return {
    architecture: 'amd64',
    os: 'linux',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    entrypoint: [],
    cmd: [],
    exposedPorts: [],
    volumes: [],
    labels: {},
    diffIds: [],
    history: debianBase,
    ...parts,
  };
}

const outcomes = (results: ReturnType<typeof imageBaselineChecks>) =>
  Object.fromEntries(results.map((result) => [result.id, result.result]));

describe('imageBaselineChecks', () => {
  it('passes a carefully built image (BuildKit, non-root, health-checked, pinned by digest)', () => {
    const results = imageBaselineChecks({
      config: config({
        user: '65532:65532',
        env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'],
        cmd: ['node', 'server.js'],
        exposedPorts: ['8080/tcp'],
        healthcheck: { test: ['CMD', 'node', 'healthcheck.js'] },
        history: [
          ...debianBase,
          {
            createdBy:
              'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates tini && rm -rf /var/lib/apt/lists/* # buildkit',
            emptyLayer: false,
          },
          { createdBy: 'WORKDIR /app', emptyLayer: false },
          { createdBy: 'COPY --chown=65532:65532 . /app # buildkit', emptyLayer: false },
          { createdBy: 'USER 65532:65532', emptyLayer: true },
          { createdBy: 'EXPOSE map[8080/tcp:{}]', emptyLayer: true },
          {
            createdBy: 'HEALTHCHECK &{["CMD" "node" "healthcheck.js"] "30s" "5s" "0s" "0s" \'\\x03\'}',
            emptyLayer: true,
          },
          { createdBy: 'CMD ["node" "server.js"]', emptyLayer: true },
        ],
      }),
      reference: { tag: '2.4.1', digest: `sha256:${'0c'.repeat(32)}` },
      setuid: [],
      setgid: [],
      secretRules,
    });
    assert.deepEqual(outcomes(results), {
      'cis-4.1-non-root-user': 'pass',
      'cis-4.6-healthcheck': 'pass',
      'cis-4.7-update-without-install': 'pass',
      'cis-4.8-setuid-setgid': 'pass',
      'cis-4.9-copy-instead-of-add': 'pass',
      'cis-4.10-secrets-in-config': 'pass',
      'drydock-remote-script-piped-to-shell': 'pass',
      'drydock-world-writable-chmod': 'pass',
      'drydock-sudo-in-run': 'pass',
      'drydock-tls-verification-disabled': 'pass',
      'drydock-package-cache-left': 'pass',
      'drydock-sensitive-exposed-port': 'pass',
      'drydock-image-tag-latest': 'pass',
      'drydock-base-image-digest-pinned': 'not_applicable',
    });
    for (const result of results) {
      if (result.result !== 'fail') assert.deepEqual(result.evidence, [], result.id);
      assert.ok(result.remediation.length > 0, result.id);
    }
  });

  it('fails a careless image on every check, with evidence pointing at the history and masking secrets', () => {
    const password = fake('b62', 16);
    const npmToken = fake('b62', 24);
    const longTail = ' && echo padding'.repeat(20);
    const results = imageBaselineChecks({
      config: config({
        env: ['PATH=/usr/bin:/bin', `DB_PASSWORD=${password}`, 'GIT_SSL_NO_VERIFY=1'],
        exposedPorts: ['22/tcp', '8080/tcp'],
        labels: { 'org.opencontainers.image.base.name': 'docker.io/library/debian:bookworm' },
        history: [
          ...debianBase,
          { createdBy: '/bin/sh -c apt-get update', emptyLayer: false },
          { createdBy: '/bin/sh -c apt-get install -y curl sudo openssh-server', emptyLayer: false },
          {
            createdBy:
              '/bin/sh -c #(nop) ADD file:238737301d47304174e4d24f4def935b29b3069c03c72ae8de97d94624382fce in /usr/local/bin/start.sh ',
            emptyLayer: false,
          },
          {
            createdBy: `|1 NPM_TOKEN=${npmToken} /bin/sh -c curl -fsSLk https://deb.nodesource.com/setup_20.x | bash -${longTail}`,
            emptyLayer: false,
          },
          { createdBy: '/bin/sh -c sudo chmod -R 777 /app && pip install flask', emptyLayer: false },
          { createdBy: '/bin/sh -c #(nop)  EXPOSE 22 8080', emptyLayer: true },
          { createdBy: '/bin/sh -c #(nop)  CMD ["/usr/local/bin/start.sh"]', emptyLayer: true },
        ],
      }),
      reference: { tag: 'latest' },
      setuid: ['usr/bin/passwd', 'usr/local/bin/backup-helper'],
      setgid: ['usr/bin/chage'],
      secretRules,
    });
    assert.deepEqual(
      results.map((result) => [result.id, result.result, result.area]),
      [
        ['cis-4.1-non-root-user', 'fail', 'image-config'],
        ['cis-4.6-healthcheck', 'fail', 'image-config'],
        ['cis-4.7-update-without-install', 'fail', 'build-history'],
        ['cis-4.8-setuid-setgid', 'fail', 'image-config'],
        ['cis-4.9-copy-instead-of-add', 'fail', 'build-history'],
        ['cis-4.10-secrets-in-config', 'fail', 'image-config'],
        ['drydock-remote-script-piped-to-shell', 'fail', 'build-history'],
        ['drydock-world-writable-chmod', 'fail', 'build-history'],
        ['drydock-sudo-in-run', 'fail', 'build-history'],
        ['drydock-tls-verification-disabled', 'fail', 'build-history'],
        ['drydock-package-cache-left', 'fail', 'build-history'],
        ['drydock-sensitive-exposed-port', 'fail', 'image-config'],
        ['drydock-image-tag-latest', 'fail', 'image-config'],
        ['drydock-base-image-digest-pinned', 'fail', 'build-history'],
      ],
    );
    const byId = new Map(results.map((result) => [result.id, result]));
    assert.deepEqual(
      byId.get('cis-4.7-update-without-install')?.evidence.map((item) => item.location),
      ['config:history/3'],
    );
    assert.deepEqual(
      byId.get('cis-4.10-secrets-in-config')?.evidence.map((item) => item.location),
      ['config:env/DB_PASSWORD', 'config:history/6'],
    );
    assert.deepEqual(
      byId.get('drydock-tls-verification-disabled')?.evidence.map((item) => item.location),
      ['config:history/6', 'config:env/GIT_SSL_NO_VERIFY'],
    );
    assert.equal(
      byId.get('drydock-package-cache-left')?.current,
      'apt lists left in config:history/4; pip cache left in config:history/7',
    );
    assert.equal(byId.get('cis-4.8-setuid-setgid')?.severity, 'medium');
    // The piped install is long: its evidence is cut, and the build argument's token masked before the cut.
    const piped = byId.get('drydock-remote-script-piped-to-shell')?.evidence[0]?.detail ?? '';
    assert.equal(piped.length, maxDetailLength);
    assert.ok(piped.startsWith(`|1 NPM_TOKEN=${npmToken.slice(0, 4)}*`), piped);
    assert.ok(piped.endsWith('…'));
    const serialised = JSON.stringify(results);
    for (const raw of [password, npmToken]) assert.ok(!serialised.includes(raw));
  });

  it('gives one result per check whatever the input, ids unique', () => {
    const results = imageBaselineChecks({
      config: config({ history: [] }),
      setuid: [],
      setgid: [],
      secretRules,
    });
    assert.equal(results.length, 14);
    assert.equal(new Set(results.map((result) => result.id)).size, 14);
    assert.equal(outcomes(results)['drydock-image-tag-latest'], 'not_applicable');
  });
});
