import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzedFile, Analyzer, FileWants } from '../analyzer/contract.ts';
import type { DiagnosticFact, Fact } from '../analyzer/fact.ts';
import { DiagnosticLog } from './diagnostic-log.ts';
import { Dispatcher, type FileContent } from './dispatcher.ts';
import { layerRef } from './tar-fixtures.ts';

/** A file's content that counts how it was consumed. */
class CountingContent implements FileContent {
  reads = 0;
  drains = 0;
  streams = 0;
  readonly data: Buffer;

  constructor(data: Buffer) {
    this.data = data;
  }
  drain(): void {
    this.drains++;
  }
  read(): Promise<Buffer> {
    this.reads++;
    return Promise.resolve(this.data);
  }
  /** What the stream's end left to wait for, as the walk takes it after the last part. */
  ended: Promise<void> | undefined;
  /** In two parts, as a file that spans two decompressed chunks arrives. */
  stream(onPart: (part: Buffer) => void, onEnd: () => Promise<void> | undefined): void {
    this.streams++;
    const half = this.data.length >> 1;
    onPart(this.data.subarray(0, half));
    onPart(this.data.subarray(half));
    this.ended = onEnd();
  }
}

const layer = layerRef(3);

function recordingEach(id: string, wants: FileWants, seen: AnalyzedFile[]): Analyzer {
  return {
    kind: 'each',
    id,
    version: 1,
    wants,
    analyze: (file) => {
      seen.push(file);
      return [
        {
          kind: 'diagnostic',
          layer,
          path: file.path,
          source: id,
          code: 'parse_error',
          message: `saw ${file.path}`,
        },
      ];
    },
  };
}

function setup(analyzers: readonly Analyzer[]): { dispatcher: Dispatcher; log: DiagnosticLog } {
  const log = new DiagnosticLog(layer);
  return { dispatcher: new Dispatcher(analyzers, { layer, signal: new AbortController().signal }, log), log };
}

async function offer(
  dispatcher: Dispatcher,
  path: string,
  content: CountingContent,
  mode = 0o644,
): Promise<void> {
  await (dispatcher.file(path, content.data.length, mode, content) ?? content.ended);
}

function messages(facts: readonly Fact[]): string[] {
  return facts.flatMap((fact) =>
    fact.kind === 'diagnostic' ? [`${fact.source}:${fact.code}:${fact.path}`] : [],
  );
}

describe('Dispatcher', () => {
  it('reads a wanted file once and hands the same buffer to every analyzer', async () => {
    const first: AnalyzedFile[] = [];
    const second: AnalyzedFile[] = [];
    const grouped: AnalyzedFile[][] = [];
    const group: Analyzer = {
      kind: 'group',
      id: 'group',
      version: 1,
      wants: { prefixes: ['var/lib/dpkg/'], maxBytes: 1000 },
      analyzeGroup: (files) => {
        grouped.push([...files]);
        return [];
      },
    };
    const { dispatcher } = setup([
      recordingEach('one', { basenames: ['status'], maxBytes: 1000 }, first),
      recordingEach('two', { paths: ['var/lib/dpkg/status'], maxBytes: 1000 }, second),
      group,
    ]);
    const status = new CountingContent(Buffer.from('Package: libc6\n'));
    const list = new CountingContent(Buffer.from('/lib/x\n'));
    const unwanted = new CountingContent(Buffer.alloc(10_000));
    await offer(dispatcher, 'var/lib/dpkg/status', status, 0o4755);
    await offer(dispatcher, 'var/lib/dpkg/info/libc6.list', list);
    assert.equal(dispatcher.file('usr/share/doc/big', unwanted.data.length, 0o644, unwanted), undefined);
    await dispatcher.finish();

    assert.deepEqual(
      [status.reads, status.drains, list.reads, list.drains, unwanted.reads, unwanted.drains],
      [1, 0, 1, 0, 0, 1],
    );
    assert.equal(first.length, 1);
    assert.equal(second.length, 1);
    assert.equal(first[0]?.content, second[0]?.content);
    assert.equal(first[0]?.content, status.data);
    assert.equal(first[0]?.mode, 0o104755);
    assert.deepEqual(
      grouped.map((files) => files.map((file) => file.path)),
      [['var/lib/dpkg/status', 'var/lib/dpkg/info/libc6.list']],
    );
    assert.equal(grouped[0]?.[0]?.content, status.data);
    assert.equal(dispatcher.bytesRead, status.data.length + list.data.length);
    assert.deepEqual(messages(dispatcher.facts()), [
      'one:parse_error:var/lib/dpkg/status',
      'two:parse_error:var/lib/dpkg/status',
    ]);
  });

  it('reads up to the largest cap and tells the smaller analyzers the file is too large', async () => {
    const small: AnalyzedFile[] = [];
    const large: AnalyzedFile[] = [];
    const { dispatcher, log } = setup([
      recordingEach('small', { suffixes: ['.jar'], maxBytes: 10 }, small),
      recordingEach('large', { suffixes: ['.jar'], maxBytes: 100 }, large),
    ]);
    const medium = new CountingContent(Buffer.alloc(50));
    const huge = new CountingContent(Buffer.alloc(500));
    await offer(dispatcher, 'a.jar', medium);
    assert.equal(dispatcher.file('b.jar', huge.data.length, 0o644, huge), undefined);
    assert.deepEqual([medium.reads, huge.reads, huge.drains], [1, 0, 1]);
    assert.deepEqual([small.length, large.length], [0, 1]);
    assert.deepEqual(messages(log.facts()), [
      'small:file_too_large:a.jar',
      'small:file_too_large:b.jar',
      'large:file_too_large:b.jar',
    ]);
  });

  it('keeps only the later entry of a path the layer holds twice, as extraction would', async () => {
    const seen: AnalyzedFile[] = [];
    const grouped: string[] = [];
    const contentFacts = (id: string, concurrent: boolean): Analyzer => ({
      kind: 'each',
      id,
      version: 1,
      concurrent,
      wants: { basenames: ['status'], maxBytes: 100 },
      analyze: async (file) => {
        // The first entry's analysis ends last: its facts must still lose to the second's.
        if (file.content.toString() === 'first') await new Promise((resolve) => setTimeout(resolve, 20));
        return file.content.toString() === 'empty'
          ? []
          : [
              {
                kind: 'diagnostic',
                layer,
                path: file.path,
                source: id,
                code: 'parse_error',
                message: file.content.toString(),
              },
            ];
      },
    });
    const { dispatcher } = setup([
      contentFacts('sequential', false),
      contentFacts('concurrent', true),
      recordingEach('other', { basenames: ['other'], maxBytes: 100 }, seen),
      {
        kind: 'group',
        id: 'group',
        version: 1,
        wants: { basenames: ['status'], maxBytes: 100 },
        analyzeGroup: (files) => {
          grouped.push(...files.map((file) => file.content.toString()));
          return [];
        },
      },
    ]);
    await offer(dispatcher, 'var/status', new CountingContent(Buffer.from('first')));
    await offer(dispatcher, 'var/other', new CountingContent(Buffer.from('o')));
    await offer(dispatcher, 'var/status', new CountingContent(Buffer.from('second')));
    await offer(dispatcher, 'etc/status', new CountingContent(Buffer.from('first')));
    await offer(dispatcher, 'etc/status', new CountingContent(Buffer.from('empty')));
    await dispatcher.finish();
    const kept = dispatcher
      .facts()
      .flatMap((fact) => (fact.kind === 'diagnostic' ? [`${fact.source}:${fact.path}:${fact.message}`] : []))
      .sort();
    assert.deepEqual(kept, [
      'concurrent:var/status:second',
      'other:var/other:saw var/other',
      'sequential:var/status:second',
    ]);
    assert.deepEqual(grouped.sort(), ['empty', 'second']);
  });

  it('turns a throwing analyzer into a diagnostic and goes on', async () => {
    const after: AnalyzedFile[] = [];
    const { dispatcher, log } = setup([
      {
        kind: 'each',
        id: 'broken',
        version: 1,
        wants: { basenames: ['x'], maxBytes: 10 },
        analyze: () => Promise.reject(new Error('parser exploded')),
      },
      {
        kind: 'group',
        id: 'broken-group',
        version: 1,
        wants: { basenames: ['x'], maxBytes: 10 },
        analyzeGroup: () => {
          throw new Error('group exploded');
        },
      },
      recordingEach('fine', { basenames: ['x'], maxBytes: 10 }, after),
    ]);
    await offer(dispatcher, 'a/x', new CountingContent(Buffer.from('1')));
    await dispatcher.finish();
    assert.equal(after.length, 1);
    const failures = log.facts().filter((fact): fact is DiagnosticFact => fact.code === 'analyzer_failed');
    assert.deepEqual(
      failures.map((fact) => [fact.source, fact.path]),
      [
        ['broken', 'a/x'],
        ['broken-group', ''],
      ],
    );
    assert.match(failures[0]?.message ?? '', /parser exploded/);
  });

  it('serves a hardlink from its read target, and reports one whose target was not read', async () => {
    const seen: AnalyzedFile[] = [];
    const { dispatcher, log } = setup([
      recordingEach('bins', { prefixes: ['usr/bin/'], maxBytes: 100 }, seen),
    ]);
    const perl = new CountingContent(Buffer.from('#!perl'));
    await offer(dispatcher, 'usr/bin/perl5.36', perl, 0o755);
    await dispatcher.hardlink('usr/bin/perl', 'usr/bin/perl5.36', 0o755);
    assert.equal(dispatcher.hardlink('usr/bin/ghost', 'opt/not-read', 0o755), undefined);
    assert.equal(dispatcher.hardlink('opt/unwanted', 'usr/bin/perl5.36', 0o755), undefined);
    assert.equal(perl.reads, 1);
    assert.deepEqual(
      seen.map((file) => [file.path, file.content.toString()]),
      [
        ['usr/bin/perl5.36', '#!perl'],
        ['usr/bin/perl', '#!perl'],
      ],
    );
    assert.equal(seen[0]?.content, seen[1]?.content);
    assert.deepEqual(messages(log.facts()), ['bins:hardlink_target_missing:usr/bin/ghost']);
  });

  it('keeps no file over the per-file cap for hardlinks: a hardlink to it is reported', async () => {
    const seen: AnalyzedFile[] = [];
    const log = new DiagnosticLog(layer);
    const dispatcher = new Dispatcher(
      [recordingEach('bins', { prefixes: ['usr/bin/'], maxBytes: 100 }, seen)],
      { layer, signal: new AbortController().signal },
      log,
      { hardlinkFileBytes: 8 },
    );
    await offer(dispatcher, 'usr/bin/small', new CountingContent(Buffer.from('12345678')), 0o755);
    await offer(dispatcher, 'usr/bin/large', new CountingContent(Buffer.from('123456789')), 0o755);
    await dispatcher.hardlink('usr/bin/small-link', 'usr/bin/small', 0o755);
    assert.equal(dispatcher.hardlink('usr/bin/large-link', 'usr/bin/large', 0o755), undefined);
    assert.deepEqual(
      seen.map((file) => file.path),
      ['usr/bin/small', 'usr/bin/large', 'usr/bin/small-link'],
    );
    assert.deepEqual(messages(log.facts()), ['bins:hardlink_target_missing:usr/bin/large-link']);
  });

  it('frees a large file once its analyzers are done, unless something still holds it', async () => {
    const MiB = 1024 * 1024;
    const seenSizes: number[] = [];
    const sizing: Analyzer = {
      kind: 'each',
      id: 'sizes',
      version: 1,
      wants: { prefixes: ['usr/'], maxBytes: 8 * MiB },
      analyze: (file) => {
        seenSizes.push(file.content.length);
        return [];
      },
    };
    const grouped: AnalyzedFile[] = [];
    const group: Analyzer = {
      kind: 'group',
      id: 'group',
      version: 1,
      wants: { prefixes: ['usr/share/'], maxBytes: 8 * MiB },
      analyzeGroup: (files) => {
        grouped.push(...files);
        return [];
      },
    };
    const dispatcher = new Dispatcher(
      [sizing, group],
      { layer, signal: new AbortController().signal },
      new DiagnosticLog(layer),
      { hardlinkFileBytes: 3 * MiB },
    );
    const big = Buffer.alloc(4 * MiB, 1);
    const kept = Buffer.alloc(2 * MiB, 2);
    const held = Buffer.alloc(4 * MiB, 3);
    const small = Buffer.alloc(64 * 1024, 4);
    await offer(dispatcher, 'usr/bin/big', new CountingContent(big));
    await offer(dispatcher, 'usr/bin/kept', new CountingContent(kept));
    await offer(dispatcher, 'usr/share/held', new CountingContent(held));
    await offer(dispatcher, 'usr/bin/small', new CountingContent(small));
    assert.deepEqual(seenSizes, [4 * MiB, 2 * MiB, 4 * MiB, 64 * 1024], 'each analyzer saw the whole file');
    assert.equal(big.buffer.detached, true, 'freed: only an each-analyzer read it');
    assert.equal(kept.buffer.detached, false, 'kept for hardlinks (under the per-file cap)');
    assert.equal(held.buffer.detached, false, 'a group analyzer holds it until the layer ends');
    assert.equal(small.buffer.detached, false, 'small content may share its memory');
    await dispatcher.hardlink('usr/bin/kept-link', 'usr/bin/kept', 0o755);
    assert.equal(seenSizes.at(-1), 2 * MiB);
    await dispatcher.finish();
    assert.equal(grouped[0]?.content.length, 4 * MiB);
  });

  it('lets an abort through instead of reporting it as an analyzer failure', async () => {
    const controller = new AbortController();
    const log = new DiagnosticLog(layer);
    const dispatcher = new Dispatcher(
      [
        {
          kind: 'each',
          id: 'slow',
          version: 1,
          wants: { basenames: ['x'], maxBytes: 10 },
          analyze: () => {
            controller.abort();
            throw new Error('aborted');
          },
        },
      ],
      { layer, signal: controller.signal },
      log,
    );
    await assert.rejects(offer(dispatcher, 'x', new CountingContent(Buffer.from('1'))), /aborted/);
    assert.deepEqual(log.facts(), []);
  });

  describe('streaming analyzers', () => {
    /** Records the parts it gets; its facts name the content and how many parts it came in. */
    function streaming(id: string, wants: FileWants, log: string[], failOn?: string): Analyzer {
      const factsOf = (path: string, text: string, parts: number): Fact[] => [
        { kind: 'diagnostic', layer, path, source: id, code: 'parse_error', message: `${text}/${parts}` },
      ];
      return {
        kind: 'each',
        id,
        version: 1,
        wants,
        analyze: () => {
          throw new Error('a streaming analyzer is not asked to analyze');
        },
        open(file) {
          const parts: string[] = [];
          let text = '';
          return {
            write(part) {
              if (part.toString() === failOn) throw new Error('bad part');
              parts.push(part.toString());
            },
            end() {
              text = parts.join('');
              log.push(`${id} ${file.path} ${file.size} ${parts.length}`);
              return factsOf(file.path, text, parts.length);
            },
            linked: (path) => factsOf(path, text, parts.length),
          };
        },
      };
    }

    it('streams a file nobody needs whole, without reading it, and serves hardlinks from the stream', async () => {
      const log: string[] = [];
      const { dispatcher, log: diagnostics } = setup([
        streaming('hash', { prefixes: ['usr/'], maxBytes: 100 }, log),
      ]);
      const tool = new CountingContent(Buffer.from('tool bytes'));
      await offer(dispatcher, 'usr/bin/tool', tool, 0o755);
      await dispatcher.hardlink('usr/bin/tool-link', 'usr/bin/tool', 0o755);
      assert.equal(dispatcher.hardlink('usr/bin/ghost', 'usr/bin/not-there', 0o755), undefined);
      await dispatcher.finish();
      assert.deepEqual([tool.reads, tool.streams], [0, 1]);
      assert.deepEqual(log, ['hash usr/bin/tool 10 2']);
      assert.deepEqual(messages(dispatcher.facts()).sort(), [
        'hash:parse_error:usr/bin/tool',
        'hash:parse_error:usr/bin/tool-link',
      ]);
      assert.deepEqual(
        dispatcher.facts().map((fact) => (fact.kind === 'diagnostic' ? fact.message : '')),
        ['tool bytes/2', 'tool bytes/2'],
      );
      assert.deepEqual(messages(diagnostics.facts()), ['hash:hardlink_target_missing:usr/bin/ghost']);
    });

    it('keeps only the analyzer of a stream without facts, and asks it for hardlinks by their names', async () => {
      const asked: string[] = [];
      // Facts only for files whose content says so; hardlinks to the others are answered from the
      // names alone: none where the link lies under usr/, unknown elsewhere.
      const checker: Analyzer = {
        kind: 'each',
        id: 'check',
        version: 1,
        wants: { prefixes: ['usr/', 'opt/'], maxBytes: 100 },
        analyze: () => {
          throw new Error('a streaming analyzer is not asked to analyze');
        },
        open(file) {
          let text = '';
          const factsAt = (path: string): Fact[] =>
            text.includes('bad')
              ? [{ kind: 'diagnostic', layer, path, source: 'check', code: 'parse_error', message: text }]
              : [];
          return {
            write: (part) => {
              text += part.toString();
            },
            end: () => factsAt(file.path),
            linked: (path) => {
              asked.push(`linked ${file.path} -> ${path}`);
              return factsAt(path);
            },
          };
        },
        linkedWithoutFacts(target, link) {
          asked.push(`without facts ${target} -> ${link}`);
          return link.startsWith('usr/') ? [] : undefined;
        },
      };
      const { dispatcher, log: diagnostics } = setup([checker]);
      await offer(dispatcher, 'usr/bin/good', new CountingContent(Buffer.from('good tool')), 0o755);
      await offer(dispatcher, 'usr/bin/bad', new CountingContent(Buffer.from('bad tool')), 0o755);
      await dispatcher.hardlink('usr/bin/good-link', 'usr/bin/good', 0o755);
      await dispatcher.hardlink('opt/good-link', 'usr/bin/good', 0o755);
      await dispatcher.hardlink('opt/bad-link', 'usr/bin/bad', 0o755);
      await dispatcher.finish();
      assert.deepEqual(asked, [
        'without facts usr/bin/good -> usr/bin/good-link',
        'without facts usr/bin/good -> opt/good-link',
        'linked usr/bin/bad -> opt/bad-link',
      ]);
      assert.deepEqual(messages(dispatcher.facts()).sort(), [
        'check:parse_error:opt/bad-link',
        'check:parse_error:usr/bin/bad',
      ]);
      assert.deepEqual(messages(diagnostics.facts()), ['check:hardlink_target_missing:opt/good-link']);
    });

    it('gives read content as one part when another analyzer needs the file whole', async () => {
      const log: string[] = [];
      const seen: AnalyzedFile[] = [];
      const { dispatcher } = setup([
        streaming('hash', { prefixes: ['etc/'], maxBytes: 100 }, log),
        recordingEach('whole', { basenames: ['passwd'], maxBytes: 100 }, seen),
      ]);
      const passwd = new CountingContent(Buffer.from('root:x:0:0'));
      const hosts = new CountingContent(Buffer.from('127.0.0.1 localhost'));
      await offer(dispatcher, 'etc/passwd', passwd);
      await offer(dispatcher, 'etc/hosts', hosts);
      await dispatcher.finish();
      assert.deepEqual([passwd.reads, passwd.streams, hosts.reads, hosts.streams], [1, 0, 0, 1]);
      assert.deepEqual(log, ['hash etc/passwd 10 1', 'hash etc/hosts 19 2']);
      assert.deepEqual(
        seen.map((file) => file.path),
        ['etc/passwd'],
      );
    });

    it('drops a stream that throws with a diagnostic, keeps the others, and lets a later entry win', async () => {
      const log: string[] = [];
      const { dispatcher, log: diagnostics } = setup([
        streaming('fragile', { prefixes: ['srv/'], maxBytes: 100 }, log, 'bad!'),
        streaming('steady', { prefixes: ['srv/'], maxBytes: 100 }, log),
      ]);
      await offer(dispatcher, 'srv/data', new CountingContent(Buffer.from('bad!bad!')));
      await offer(dispatcher, 'srv/again', new CountingContent(Buffer.from('first')));
      await offer(dispatcher, 'srv/again', new CountingContent(Buffer.from('second')));
      await dispatcher.finish();
      assert.deepEqual(messages(diagnostics.facts()), ['fragile:analyzer_failed:srv/data']);
      assert.deepEqual(
        dispatcher
          .facts()
          .flatMap((fact) =>
            fact.kind === 'diagnostic' ? [`${fact.source} ${fact.path} ${fact.message}`] : [],
          ),
        ['steady srv/data bad!bad!/2', 'fragile srv/again second/2', 'steady srv/again second/2'],
      );
    });
  });

  describe('concurrent analyzers', () => {
    /** An analyzer whose answers are released by the test, recording how many were in flight. */
    function gated(maxBytes = 100): {
      analyzer: Analyzer;
      release: () => void;
      peak: () => number;
      started: string[];
    } {
      const waiting: (() => void)[] = [];
      const started: string[] = [];
      let inFlight = 0;
      let peak = 0;
      return {
        started,
        peak: () => peak,
        release: () => {
          for (const resolve of waiting.splice(0)) resolve();
        },
        analyzer: {
          kind: 'each',
          id: 'gated',
          version: 1,
          concurrent: true,
          wants: { suffixes: ['.txt'], maxBytes },
          analyze: async (file) => {
            started.push(file.path);
            peak = Math.max(peak, ++inFlight);
            await new Promise<void>((resolve) => waiting.push(resolve));
            inFlight--;
            if (file.path === 'bad.txt') throw new Error('worker exploded');
            return [
              {
                kind: 'diagnostic',
                layer,
                path: file.path,
                source: 'gated',
                code: 'parse_error',
                message: '',
              },
            ];
          },
        },
      };
    }

    it('lets the walk read on while analyses run, up to the bound, and collects every fact at finish', async () => {
      const { analyzer, release, peak, started } = gated();
      const log = new DiagnosticLog(layer);
      const dispatcher = new Dispatcher([analyzer], { layer, signal: new AbortController().signal }, log, {
        maxInFlight: 3,
      });
      // Three files are accepted without any answer; the fourth waits for a free slot.
      for (const name of ['a', 'b', 'c'])
        await offer(dispatcher, `${name}.txt`, new CountingContent(Buffer.from(name)));
      assert.deepEqual(started, ['a.txt', 'b.txt', 'c.txt']);
      let fourthAccepted = false;
      const fourth = offer(dispatcher, 'bad.txt', new CountingContent(Buffer.from('d'))).then(() => {
        fourthAccepted = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(fourthAccepted, false, 'the fourth file waits while three are in flight');
      release();
      await fourth;
      const finished = dispatcher.finish();
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await finished;
      assert.equal(peak(), 3);
      assert.deepEqual(messages(dispatcher.facts()).sort(), [
        'gated:parse_error:a.txt',
        'gated:parse_error:b.txt',
        'gated:parse_error:c.txt',
      ]);
      assert.deepEqual(messages(log.facts()), ['gated:analyzer_failed:bad.txt']);
    });

    it('bounds the bytes in flight, but lets a file larger than the bound go alone', async () => {
      const { analyzer, release, started } = gated(1_000);
      const dispatcher = new Dispatcher(
        [analyzer],
        { layer, signal: new AbortController().signal },
        new DiagnosticLog(layer),
        { maxInFlightBytes: 10 },
      );
      await offer(dispatcher, 'big.txt', new CountingContent(Buffer.alloc(50)));
      let secondAccepted = false;
      const second = offer(dispatcher, 'small.txt', new CountingContent(Buffer.alloc(1))).then(() => {
        secondAccepted = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(secondAccepted, false);
      assert.deepEqual(started, ['big.txt']);
      release();
      await second;
      const finished = dispatcher.finish();
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await finished;
      assert.equal(dispatcher.facts().length, 2);
    });

    it('fails the layer with the abort, not with diagnostics, when the walk is aborted meanwhile', async () => {
      const { analyzer, release } = gated();
      const controller = new AbortController();
      const log = new DiagnosticLog(layer);
      const dispatcher = new Dispatcher([analyzer], { layer, signal: controller.signal }, log);
      await offer(dispatcher, 'bad.txt', new CountingContent(Buffer.from('x')));
      controller.abort(new Error('stopped'));
      const finished = dispatcher.finish();
      release();
      await assert.rejects(finished, /stopped/);
      assert.deepEqual(log.facts(), []);
    });
  });
});
