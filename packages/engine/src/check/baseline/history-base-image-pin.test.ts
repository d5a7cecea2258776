import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretRules } from '../../analyzer/secret/rule-set.ts';
import type { HistoryEntry } from '../../image/types.ts';
import { baseImagePinCheck, baseImageReferences, isPinnedReference } from './history-base-image-pin.ts';
import { historySteps } from './history-instruction.ts';

const rules = compileSecretRules();
const digest = `sha256:${'4f'.repeat(32)}`;

/** A Buildah (podman build) history: the base image's entries, then the build's first entry with its FROM comment. */
function buildahHistory(from: string): HistoryEntry[] {
  return [
    { createdBy: '/bin/sh -c #(nop) ADD file:5b1e3a2c9f in / ', emptyLayer: false },
    { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
    { createdBy: '/bin/sh -c #(nop) ENV APP_HOME=/app', comment: `FROM ${from}`, emptyLayer: true },
    { createdBy: '/bin/sh -c apt-get update && apt-get install -y curl', emptyLayer: false },
  ];
}

describe('isPinnedReference', () => {
  it('accepts digests, image IDs and scratch', () => {
    assert.equal(isPinnedReference(`docker.io/library/debian:bookworm@${digest}`), true);
    assert.equal(isPinnedReference(`debian@${digest}`), true);
    assert.equal(isPinnedReference('4f'.repeat(32)), true);
    assert.equal(isPinnedReference('scratch'), true);
    assert.equal(isPinnedReference('docker.io/library/debian:bookworm'), false);
    assert.equal(isPinnedReference('registry.example:5000/base'), false);
  });
});

describe('baseImageReferences', () => {
  it('reads the base name label, Buildah comments and FROM entries', () => {
    const steps = historySteps([
      ...buildahHistory('docker.io/library/debian:bookworm'),
      { createdBy: '/bin/sh -c #(nop) FROM --platform=linux/amd64 alpine:3.19 AS build', emptyLayer: true },
    ]);
    assert.deepEqual(
      baseImageReferences(steps, {
        'org.opencontainers.image.base.name': 'docker.io/library/debian:bookworm',
      }),
      [
        {
          location: 'config:label/org.opencontainers.image.base.name',
          reference: 'docker.io/library/debian:bookworm',
        },
        { location: 'config:history/2', reference: 'docker.io/library/debian:bookworm' },
        { location: 'config:history/4', reference: 'alpine:3.19' },
      ],
    );
  });
});

describe('baseImagePinCheck', () => {
  it('does not apply when the image records no base (Docker builds)', () => {
    const steps = historySteps([
      { createdBy: '/bin/sh -c #(nop) ADD file:5b1e3a2c9f in / ', emptyLayer: false },
      { createdBy: 'RUN /bin/sh -c npm ci # buildkit', emptyLayer: false },
    ]);
    const result = baseImagePinCheck(steps, {}, rules);
    assert.equal(result.result, 'not_applicable');
    assert.deepEqual(result.evidence, []);
  });

  it('fails on a base named by tag, suggesting the digest the build recorded', () => {
    const result = baseImagePinCheck(
      historySteps(buildahHistory('docker.io/library/debian:bookworm')),
      { 'org.opencontainers.image.base.digest': digest },
      rules,
    );
    assert.equal(result.result, 'fail');
    assert.deepEqual(result.evidence, [
      { location: 'config:history/2', detail: 'FROM docker.io/library/debian:bookworm' },
    ]);
    assert.equal(result.current, 'FROM docker.io/library/debian:bookworm');
    assert.equal(result.suggested, `FROM docker.io/library/debian:bookworm@${digest}`);
  });

  it('passes on a base pinned by digest', () => {
    const reference = `docker.io/library/debian:bookworm@${digest}`;
    const result = baseImagePinCheck(
      historySteps(buildahHistory(reference)),
      { 'org.opencontainers.image.base.name': reference },
      rules,
    );
    assert.equal(result.result, 'pass');
    assert.deepEqual(result.evidence, []);
  });
});
