/**
 * Fuzzing what a registry or an image archive hands over before any layer: image references,
 * manifests, indexes and configurations, the metadata built from them, a configuration's history
 * (the instructions the baseline checks read), and the registry's HTTP headers and token answers.
 * Image input fails with a DrydockError only; header parsers never throw.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { historySteps } from '../../packages/engine/src/check/baseline/history-instruction.ts';
import { shellCommands } from '../../packages/engine/src/check/baseline/history-shell-commands.ts';
import {
  buildImageMetadata,
  parseImageConfig,
  parseManifestDocument,
  platformManifests,
} from '../../packages/engine/src/image/document.ts';
import { normaliseRepoTag } from '../../packages/engine/src/image/local/docker-archive.ts';
import { parseReference } from '../../packages/engine/src/image/reference.ts';
import {
  findBearerChallenge,
  parseAuthChallenges,
} from '../../packages/engine/src/image/registry/auth-challenge.ts';
import { nextLink, parseLinkHeader } from '../../packages/engine/src/image/registry/link-header.ts';
import { parseTokenResponse } from '../../packages/engine/src/image/registry/token-response.ts';
import { defaultLimits } from '../../packages/engine/src/util/limits.ts';
import { boundedCall, drydockErrorsOnly, nothingThrown } from './bounded-call.ts';
import { fuzzParameters } from './fuzz-budget.ts';
import { byteInputs, textInputs } from './mutations.ts';

const digest = (hex: string): string => `sha256:${hex.repeat(64)}`;

const manifest = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 1469 },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('a'), size: 29_124_000 },
    {
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      digest: digest('b'),
      size: 512,
      annotations: { a: 'b' },
    },
  ],
};

const index = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: manifest.mediaType,
      digest: digest('d'),
      size: 1024,
      platform: { os: 'linux', architecture: 'amd64' },
    },
    {
      mediaType: manifest.mediaType,
      digest: digest('e'),
      size: 566,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
    },
    {
      mediaType: manifest.mediaType,
      digest: digest('f'),
      size: 1024,
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    },
  ],
};

const config = {
  architecture: 'amd64',
  os: 'linux',
  created: '2024-01-02T03:04:05Z',
  config: {
    User: 'app',
    Env: ['PATH=/usr/local/bin:/usr/bin', 'API_TOKEN=abc'],
    Cmd: ['node', 'server.js'],
    ExposedPorts: { '22/tcp': {}, '8080/tcp': {} },
    Labels: { maintainer: 'x' },
    Healthcheck: { Test: ['CMD', 'true'] },
  },
  rootfs: { type: 'layers', diff_ids: [digest('1'), digest('2')] },
  history: [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in / ' },
    { created_by: 'RUN /bin/sh -c apt-get update && curl -k https://x | sh && chmod 777 /tmp # buildkit' },
    { created_by: 'ENV A=b', empty_layer: true },
  ],
};

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value, null, 1));

describe('fuzz: image documents', () => {
  it('manifests and indexes, with and without a declared media type', () => {
    const declared = fc.constantFrom(
      undefined,
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8',
      'application/json',
      '',
    );
    fc.assert(
      fc.property(byteInputs([json(manifest), json(index)]), declared, (bytes, mediaType) => {
        const document = boundedCall(
          'parseManifestDocument',
          bytes,
          () => parseManifestDocument(bytes, mediaType, defaultLimits),
          drydockErrorsOnly,
        );
        if (document?.kind === 'index')
          boundedCall('platformManifests', bytes, () => platformManifests(document), drydockErrorsOnly);
      }),
      fuzzParameters(2),
    );
  });

  it('configurations, joined with the manifest into image metadata, and their history', () => {
    const parsedManifest = parseManifestDocument(json(manifest), undefined, defaultLimits);
    if (parsedManifest.kind !== 'manifest') throw new Error('the seed manifest is not a manifest');
    fc.assert(
      fc.property(byteInputs([json(config)]), (bytes) => {
        const parsed = boundedCall(
          'parseImageConfig',
          bytes,
          () => parseImageConfig(bytes, defaultLimits),
          drydockErrorsOnly,
        );
        if (parsed === undefined) return;
        const parts = {
          name: 'example/app',
          manifestDigest: undefined,
          manifest: parsedManifest,
          config: parsed,
          repoTags: [],
        };
        boundedCall(
          'buildImageMetadata',
          bytes,
          () => buildImageMetadata(parts, defaultLimits),
          drydockErrorsOnly,
        );
        boundedCall('historySteps', bytes, () => historySteps(parsed.history), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });

  it('shell commands of RUN instructions', () => {
    const scripts = [
      "apt-get update && apt-get install -y --no-install-recommends curl='7.88' && rm -rf /var/lib/apt/lists/*",
      'set -eux; if [ -n "$A" ]; then wget -qO- https://x/y.sh | bash -s -- --flag; fi; (cd /tmp && echo "a\\"b" > f) || exit 1',
      "export PIP_TRUSTED_HOST=x; sudo -u app env FOO=1 pip install --trusted-host x 'a==1' <<EOF\nline\nEOF\n",
    ];
    fc.assert(
      fc.property(textInputs(scripts), (script) => {
        boundedCall('shellCommands', script, () => shellCommands(script), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });
});

describe('fuzz: image references', () => {
  it('parseReference and docker-archive RepoTags', () => {
    const references = [
      'docker.io/library/debian:12@sha256:' + 'a'.repeat(64),
      'localhost:5000/team/app:1.2.3',
      '[::1]:5000/a/b/c',
      'ghcr.io/owner/image',
      'ubuntu',
    ];
    fc.assert(
      fc.property(textInputs(references), (text) => {
        boundedCall('parseReference', text, () => parseReference(text), drydockErrorsOnly);
        boundedCall('normaliseRepoTag', text, () => normaliseRepoTag(text), drydockErrorsOnly);
      }),
      fuzzParameters(4),
    );
  });
});

describe('fuzz: registry answers', () => {
  it('WWW-Authenticate challenges', () => {
    const challenges = [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull"',
      'Basic realm="Registry Realm", Bearer realm="https://r/token", error="insufficient_scope", scope="a:b:pull,push"',
      'Bearer realm=unquoted,service="s\\"q"',
    ];
    fc.assert(
      fc.property(
        fc.oneof(textInputs(challenges), fc.array(textInputs(challenges), { maxLength: 4 })),
        (header) => {
          const parsed = boundedCall(
            'parseAuthChallenges',
            header,
            () => parseAuthChallenges(header),
            nothingThrown,
          );
          if (parsed !== undefined)
            boundedCall('findBearerChallenge', header, () => findBearerChallenge(parsed), nothingThrown);
        },
      ),
      fuzzParameters(2),
    );
  });

  it('Link headers of paged listings', () => {
    const links = [
      '</v2/_catalog?last=b&n=100>; rel="next"',
      '<https://r.example/v2/a/tags/list?n=2&last=x>; rel=next, </other>; rel="prev"; title="p"',
    ];
    const base = new URL('https://registry.example:5000/v2/_catalog?n=100');
    fc.assert(
      fc.property(fc.oneof(textInputs(links), fc.array(textInputs(links), { maxLength: 4 })), (header) => {
        boundedCall('parseLinkHeader', header, () => parseLinkHeader(header), nothingThrown);
        boundedCall('nextLink', header, () => nextLink(header, base), nothingThrown);
      }),
      fuzzParameters(2),
    );
  });

  it('token responses', () => {
    const answers = [
      json({ token: 'abc.def.ghi', expires_in: 300, issued_at: '2024-01-02T03:04:05Z' }),
      json({ access_token: 'x', expires_in: 1e9 }),
    ];
    fc.assert(
      fc.property(byteInputs(answers), (bytes) => {
        boundedCall(
          'parseTokenResponse',
          bytes,
          () => parseTokenResponse(bytes, 1_700_000_000_000),
          drydockErrorsOnly,
        );
      }),
      fuzzParameters(),
    );
  });
});
