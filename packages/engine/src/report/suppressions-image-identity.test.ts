import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageWith, reportWith } from './filter-findings-fixtures.ts';
import { imageIdentity } from './suppressions-image-identity.ts';
import { purlMatches } from './suppressions-purl.ts';

describe('image identity', () => {
  it('names a registry image by repository, tag, architecture and digests', () => {
    const image = imageWith([]);
    const identity = imageIdentity(reportWith([image]), image);
    assert.deepEqual(identity.digests, [`sha256:${'1'.repeat(64)}`]);
    assert.ok(
      identity.purls.includes(
        `pkg:oci/app@sha256%3A${'1'.repeat(64)}?arch=amd64&repository_url=registry.example%3A5000%2Fteam%2Fapp&tag=1.0`,
      ),
      identity.purls.join('\n'),
    );
  });

  it('names Docker Hub images with both hosts, and archives by their repository tags', () => {
    const image = imageWith([], { repoTags: ['alpine:3.19'] });
    const identity = imageIdentity(
      reportWith([image], {
        artifact: {
          name: 'docker-archive:/tmp/a.tar',
          kind: 'docker-archive',
          digest: undefined,
          mediaType: 'x',
          platforms: [],
        },
      }),
      image,
    );
    assert.ok(purlMatches('pkg:oci/alpine?repository_url=docker.io/library/alpine', identity.purls[0] ?? ''));
    assert.ok(
      identity.purls.some((purl) =>
        purlMatches('pkg:oci/alpine?repository_url=index.docker.io/library/alpine&tag=3.19', purl),
      ),
    );
  });
});
