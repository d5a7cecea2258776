import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historySteps, parseHistoryInstruction } from './history-instruction.ts';

describe('parseHistoryInstruction', () => {
  it("reads the classic builder's no-op metadata entries", () => {
    assert.deepEqual(parseHistoryInstruction('/bin/sh -c #(nop)  CMD ["bash"]'), {
      keyword: 'CMD',
      form: 'classic',
      arguments: '["bash"]',
      buildArguments: [],
    });
    assert.deepEqual(
      parseHistoryInstruction(
        '/bin/sh -c #(nop) ADD file:4f5a660d3f5141588d3e80a6b1a8ec5b1c4ab8f43f6c8e5c3b9a5e0e7b4b3b0a in / ',
      ),
      {
        keyword: 'ADD',
        form: 'classic',
        arguments: 'file:4f5a660d3f5141588d3e80a6b1a8ec5b1c4ab8f43f6c8e5c3b9a5e0e7b4b3b0a in /',
        buildArguments: [],
      },
    );
    const cases: [string, string, string][] = [
      ['/bin/sh -c #(nop)  ENV NODE_VERSION=20.11.1', 'ENV', 'NODE_VERSION=20.11.1'],
      ['/bin/sh -c #(nop) COPY dir:9e1b2c in /app ', 'COPY', 'dir:9e1b2c in /app'],
      ['/bin/sh -c #(nop)  EXPOSE 80', 'EXPOSE', '80'],
      ['/bin/sh -c #(nop)  USER node', 'USER', 'node'],
      ['/bin/sh -c #(nop) WORKDIR /usr/src/app', 'WORKDIR', '/usr/src/app'],
      ['/bin/sh -c #(nop)  ARG NPM_TOKEN', 'ARG', 'NPM_TOKEN'],
      [
        '/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" \'\\x03\'}',
        'HEALTHCHECK',
        '&{["CMD-SHELL" "curl -f http://localhost/ || exit 1"] "30s" "3s" "0s" \'\\x03\'}',
      ],
      ['/bin/sh -c #(nop)  SHELL [/bin/bash -o pipefail -c]', 'SHELL', '[/bin/bash -o pipefail -c]'],
      ['cmd /S /C #(nop)  ENTRYPOINT ["powershell"]', 'ENTRYPOINT', '["powershell"]'],
    ];
    for (const [createdBy, keyword, args] of cases) {
      const parsed = parseHistoryInstruction(createdBy);
      assert.equal(parsed.keyword, keyword, createdBy);
      assert.equal(parsed.form, 'classic', createdBy);
      assert.equal(parsed.arguments, args, createdBy);
    }
  });

  it("reads the classic builder's RUN, with and without build arguments", () => {
    assert.deepEqual(
      parseHistoryInstruction(
        '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
      ),
      {
        keyword: 'RUN',
        form: 'classic',
        arguments:
          'apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
        shell: '/bin/sh -c',
        buildArguments: [],
      },
    );
    assert.deepEqual(parseHistoryInstruction('|2 NODE_ENV=production NPM_TOKEN=abc123 /bin/sh -c npm ci'), {
      keyword: 'RUN',
      form: 'classic',
      arguments: 'npm ci',
      shell: '/bin/sh -c',
      buildArguments: [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'NPM_TOKEN', value: 'abc123' },
      ],
    });
  });

  it('keeps spaces and empty values in build arguments', () => {
    const parsed = parseHistoryInstruction(
      '|3 GREETING=hello world EMPTY= LAST=a b /bin/sh -c echo "$GREETING"',
    );
    assert.deepEqual(parsed.buildArguments, [
      { name: 'GREETING', value: 'hello world' },
      { name: 'EMPTY', value: '' },
      { name: 'LAST', value: 'a b' },
    ]);
    assert.equal(parsed.arguments, 'echo "$GREETING"');
  });

  it("reads BuildKit's entries", () => {
    assert.deepEqual(
      parseHistoryInstruction(
        'RUN |2 TARGETARCH=amd64 VERSION=1.2.3 /bin/sh -c go build -o /out/app ./cmd/app # buildkit',
      ),
      {
        keyword: 'RUN',
        form: 'keyword',
        arguments: 'go build -o /out/app ./cmd/app',
        shell: '/bin/sh -c',
        buildArguments: [
          { name: 'TARGETARCH', value: 'amd64' },
          { name: 'VERSION', value: '1.2.3' },
        ],
      },
    );
    const cases: [string, string, string][] = [
      ['COPY docker-entrypoint.sh / # buildkit', 'COPY', 'docker-entrypoint.sh /'],
      [
        'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit',
        'ADD',
        'alpine-minirootfs-3.19.1-x86_64.tar.gz /',
      ],
      ['ENV NGINX_VERSION=1.25.3', 'ENV', 'NGINX_VERSION=1.25.3'],
      ['USER 65532:65532', 'USER', '65532:65532'],
      ['EXPOSE map[22/tcp:{} 80/tcp:{}]', 'EXPOSE', 'map[22/tcp:{} 80/tcp:{}]'],
      ['CMD ["nginx" "-g" "daemon off;"]', 'CMD', '["nginx" "-g" "daemon off;"]'],
      [
        'LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>',
        'LABEL',
        'maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>',
      ],
      ['STOPSIGNAL SIGQUIT', 'STOPSIGNAL', 'SIGQUIT'],
    ];
    for (const [createdBy, keyword, args] of cases) {
      const parsed = parseHistoryInstruction(createdBy);
      assert.equal(parsed.keyword, keyword, createdBy);
      assert.equal(parsed.form, 'keyword', createdBy);
      assert.equal(parsed.arguments, args, createdBy);
    }
  });

  it('reads a RUN under a SHELL with options, and multi-line scripts', () => {
    const bash = parseHistoryInstruction(
      'RUN /bin/bash -eux -o pipefail -c curl -fsSL https://example.com/x.tgz | tar -xz # buildkit',
    );
    assert.equal(bash.shell, '/bin/bash -eux -o pipefail -c');
    assert.equal(bash.arguments, 'curl -fsSL https://example.com/x.tgz | tar -xz');
    const ec = parseHistoryInstruction('/bin/sh -ec apk add --no-cache tini');
    assert.equal(ec.shell, '/bin/sh -ec');
    assert.equal(ec.arguments, 'apk add --no-cache tini');
    const multiLine = parseHistoryInstruction(
      'RUN /bin/sh -c set -e\napt-get update\napt-get install -y git # buildkit',
    );
    assert.equal(multiLine.arguments, 'set -e\napt-get update\napt-get install -y git');
  });

  it('reads exec-form RUN and Kaniko-style RUN without a shell', () => {
    const exec = parseHistoryInstruction('RUN ["apt-get","update"] # buildkit');
    assert.equal(exec.keyword, 'RUN');
    assert.equal(exec.shell, undefined);
    assert.equal(exec.arguments, 'apt-get update');
    const mounted = parseHistoryInstruction(
      'RUN --mount=type=cache,target=/root/.cache /bin/sh -c pip install -r r.txt',
    );
    assert.equal(mounted.shell, '/bin/sh -c');
    assert.equal(mounted.arguments, 'pip install -r r.txt');
    const kaniko = parseHistoryInstruction('RUN apt-get update && apt-get install -y curl');
    assert.equal(kaniko.keyword, 'RUN');
    assert.equal(kaniko.arguments, 'apt-get update && apt-get install -y curl');
  });

  it("strips Buildah's appended settings", () => {
    const parsed = parseHistoryInstruction(
      '/bin/sh -c #(nop) ADD file:24d346633efc860b5011cefa5c0af73006e74e5dfb3c5c0e9cb0e90a927931e1 in readme |inheritLabels=false',
    );
    assert.equal(parsed.keyword, 'ADD');
    assert.equal(
      parsed.arguments,
      'file:24d346633efc860b5011cefa5c0af73006e74e5dfb3c5c0e9cb0e90a927931e1 in readme',
    );
  });

  it('leaves text that is no instruction without a keyword', () => {
    for (const text of [
      "# debian.sh --arch 'amd64' out/ 'bookworm' '@1704672000'",
      'mmdebstrap',
      'hostile layer',
      '',
      'Run something',
    ])
      assert.equal(parseHistoryInstruction(text).keyword, undefined, text);
  });
});

describe('historySteps', () => {
  it('keeps the index of every entry, also those without created_by', () => {
    const steps = historySteps([
      { emptyLayer: false },
      { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
      {
        createdBy: 'RUN /bin/sh -c echo hi # buildkit',
        comment: 'FROM docker.io/library/debian:bookworm',
        emptyLayer: false,
      },
    ]);
    assert.deepEqual(
      steps.map((step) => [step.index, step.instruction.keyword, step.comment]),
      [
        [0, undefined, undefined],
        [1, 'CMD', undefined],
        [2, 'RUN', 'FROM docker.io/library/debian:bookworm'],
      ],
    );
  });
});

describe("Buildah's trailing settings", () => {
  it('are taken off as the end-anchored pattern would, on generated entries', () => {
    // The pattern this reading replaced, fine on short text: the reference for the answers.
    const pattern = /(?:\s+\|[A-Za-z]+=\S*)+\s*$/;
    const words = ['RUN', 'echo', '|a=1', '|inheritLabels=false', '|x', 'b=2', '|A=', ' ', '\t', '|=1'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 3_000; i++) {
      const text = Array.from({ length: 1 + (next() % 7) }, () => words[next() % words.length]).join(
        next() % 2 ? ' ' : '  ',
      );
      const stripped = `LABEL ${text}`.trim().replace(pattern, '');
      const expected = stripped.replace(/^LABEL(?:\s+|$)/, '').trim();
      assert.equal(parseHistoryInstruction(`LABEL ${text}`).arguments, expected, JSON.stringify(text));
    }
  });

  it('read a long entry word by word (fuzzing: 14,000 `|a=b` words then ` x` took seconds through the pattern)', () => {
    const entry = `${' |a=b'.repeat(14_000)} x`;
    assert.equal(parseHistoryInstruction(entry).arguments, entry.trim());
    assert.equal(parseHistoryInstruction(`RUN make${' |a=b'.repeat(14_000)}`).arguments, 'make');
  });
});
