import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import type { Fact, PackageFact } from '../fact.ts';
import { javaArchiveAnalyzer } from './archive-analyzer.ts';
import { fileNameCoordinates, manifestCoordinates } from './archive-identity.ts';
import { defaultArchiveLimits, scanJavaArchive } from './archive-packages.ts';
import { parseJavaProperties } from './java-properties.ts';
import { parseManifest } from './manifest.ts';
import { pomJar, pomProperties, writeZip } from './test-zip.ts';

const layer = { index: 0, digest: 'sha256:' + '0'.repeat(64), diffId: undefined, createdBy: undefined };

async function analyze(content: Buffer, path: string): Promise<readonly Fact[]> {
  return javaArchiveAnalyzer.analyze(
    { path, size: content.length, mode: 0o100644, content },
    { layer, signal: new AbortController().signal },
  );
}

function purls(facts: readonly Fact[]): string[] {
  return facts.filter((fact): fact is PackageFact => fact.kind === 'package').map((fact) => fact.pkg.purl);
}

function diagnostics(facts: readonly Fact[]): string[] {
  return facts.flatMap((fact) => (fact.kind === 'diagnostic' ? [`${fact.code}: ${fact.message}`] : []));
}

/** The JDK's `jar` tool: on PATH, or in the first JDK under /usr/lib/jvm. */
function findJarTool(): string | undefined {
  try {
    execFileSync('jar', ['--version'], { stdio: 'ignore' });
    return 'jar';
  } catch {
    const jvm = '/usr/lib/jvm';
    if (!existsSync(jvm)) return undefined;
    const candidate = readdirSync(jvm)
      .map((name) => join(jvm, name, 'bin/jar'))
      .find((path) => existsSync(path));
    return candidate;
  }
}

const jarTool = findJarTool();

describe('java-archive analyzer on archives built with the JDK jar tool', () => {
  let work = '';
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  };
  const jar = (output: string, directory: string, options: { manifest?: string; store?: boolean } = {}) => {
    const args = ['--create', '--file', join(work, output)];
    if (options.manifest !== undefined) args.push('--manifest', join(work, options.manifest));
    if (options.store === true) args.push('--no-compress');
    args.push('-C', join(work, directory), '.');
    mkdirSync(dirname(join(work, output)), { recursive: true });
    execFileSync(jarTool ?? 'jar', args, { stdio: 'pipe' });
    return readFileSync(join(work, output));
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'drydock-java-'));
    // A library with Maven's pom.properties.
    write(
      'inner/META-INF/maven/com.example/inner/pom.properties',
      pomProperties('com.example', 'inner', '2.3.4'),
    );
    write('inner/com/example/Inner.class', 'not really a class');
    jar('war/WEB-INF/lib/inner-2.3.4.jar', 'inner');
    // A library only its manifest names (Implementation-Vendor-Id, as Maven's archiver writes it).
    write('acme/org/acme/Util.class', 'x');
    write(
      'acme.mf',
      'Implementation-Vendor-Id: org.acme\nImplementation-Title: acme-util\nImplementation-Version: 0.9.1\n',
    );
    jar('war/WEB-INF/lib/acme-util-0.9.1.jar', 'acme', { manifest: 'acme.mf' });
    // An OSGi bundle: Bundle-SymbolicName ending in the artifactId of its file name.
    write('bundle/com/fasterxml/Databind.class', 'x');
    write(
      'bundle.mf',
      'Bundle-SymbolicName: com.fasterxml.jackson.core.jackson-databind;singleton:=true\nBundle-Version: 2.13.4.2\nBundle-License: https://www.apache.org/licenses/LICENSE-2.0.txt\n',
    );
    jar('war/WEB-INF/lib/jackson-databind-2.13.4.2.jar', 'bundle', { manifest: 'bundle.mf' });
    // A library known by its file name only.
    write('plain/com/google/Guava.class', 'x');
    jar('war/WEB-INF/lib/guava-31.1-jre.jar', 'plain');
    // The web application itself.
    write(
      'war/META-INF/maven/com.example/webapp/pom.properties',
      pomProperties('com.example', 'webapp', '1.0.0'),
    );
    write('war/WEB-INF/web.xml', '<web-app/>');
    jar('ear/webapp-1.0.0.war', 'war');
    write('ear/META-INF/application.xml', '<application/>');
    jar('ear/lib/inner-2.3.4.jar', 'inner');
    jar('out/shop-1.0.ear', 'ear');
    // A Spring Boot fat jar: nested jars stored, not deflated.
    write(
      'boot/META-INF/maven/com.example/shop-app/pom.properties',
      pomProperties('com.example', 'shop-app', '3.1.0'),
    );
    write('boot/BOOT-INF/lib/inner-2.3.4.jar', readFileSync(join(work, 'war/WEB-INF/lib/inner-2.3.4.jar')));
    write(
      'boot/BOOT-INF/lib/guava-31.1-jre.jar',
      readFileSync(join(work, 'war/WEB-INF/lib/guava-31.1-jre.jar')),
    );
    jar('out/shop-app-3.1.0.jar', 'boot', { store: true });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const webapp = [
    'pkg:maven/com.example/webapp@1.0.0',
    'pkg:generic/guava@31.1-jre',
    'pkg:maven/com.example/inner@2.3.4',
    'pkg:maven/org.acme/acme-util@0.9.1',
    'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4.2',
  ];

  it('reads a war: its own pom.properties and those, manifests and names of its WEB-INF/lib jars', async () => {
    const facts = await analyze(
      readFileSync(join(work, 'ear/webapp-1.0.0.war')),
      'usr/local/tomcat/webapps/webapp-1.0.0.war',
    );
    assert.deepEqual(diagnostics(facts), []);
    assert.deepEqual(purls(facts).sort(), [...webapp].sort());
    const databind = facts.find(
      (fact): fact is PackageFact => fact.kind === 'package' && fact.pkg.name.endsWith('jackson-databind'),
    );
    assert.deepEqual(databind?.pkg, {
      ecosystem: 'maven',
      name: 'com.fasterxml.jackson.core:jackson-databind',
      version: '2.13.4.2',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.4.2',
      licenses: ['https://www.apache.org/licenses/LICENSE-2.0.txt'],
    });
    assert.equal(databind?.path, 'usr/local/tomcat/webapps/webapp-1.0.0.war');
    assert.equal(databind?.origin, 'installed');
  });

  it('reads an ear holding that war (two levels of nesting), each package once', async () => {
    const facts = await analyze(readFileSync(join(work, 'out/shop-1.0.ear')), 'opt/app/shop-1.0.ear');
    assert.deepEqual(diagnostics(facts), []);
    assert.deepEqual(purls(facts).sort(), [...webapp, 'pkg:generic/shop@1.0'].sort());
  });

  it('reads a Spring Boot fat jar with stored BOOT-INF/lib jars', async () => {
    const facts = await analyze(readFileSync(join(work, 'out/shop-app-3.1.0.jar')), 'app/shop-app-3.1.0.jar');
    assert.deepEqual(diagnostics(facts), []);
    assert.deepEqual(purls(facts).sort(), [
      'pkg:generic/guava@31.1-jre',
      'pkg:maven/com.example/inner@2.3.4',
      'pkg:maven/com.example/shop-app@3.1.0',
    ]);
  });

  it('reads a jar behind a prepended launch script (a "fully executable" Spring Boot jar)', async () => {
    const script = Buffer.from('#!/bin/bash\n# launch script\nexec java -jar "$0" "$@"\n'.repeat(20));
    const content = Buffer.concat([script, readFileSync(join(work, 'out/shop-app-3.1.0.jar'))]);
    const facts = await analyze(content, 'app/shop-app-3.1.0.jar');
    assert.deepEqual(diagnostics(facts), []);
    assert.equal(purls(facts).length, 3);
  });
});

describe('java-archive analyzer on hostile archives (written with node:zlib, see test-zip.ts)', () => {
  it('refuses a zip bomb member within the limits, and keeps what it could read', async () => {
    // 64 MiB of zeros deflate to about 64 KiB; the nested archive cap is set to 1 MiB here.
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 200 * 1024);
    const content = writeZip([
      { name: 'META-INF/maven/g/a/pom.properties', content: pomProperties('g', 'a', '1') },
      { name: 'lib/bomb-1.0.jar', content: Buffer.alloc(64 * 1024 * 1024) },
    ]);
    const scan = scanJavaArchive(content, 'a-1.jar', {
      ...defaultArchiveLimits,
      nestedArchiveBytes: 1024 * 1024,
    });
    assert.deepEqual(
      scan.packages.map((pkg) => pkg.purl),
      ['pkg:maven/g/a@1'],
    );
    assert.deepEqual(scan.problems, [
      {
        code: 'file_too_large',
        message: 'a-1.jar!/lib/bomb-1.0.jar: over the size or inflate limit, not read',
      },
    ]);
  });

  it('stops a member whose size fields lie at its declared size, and charges the shared budget', async () => {
    const liar = writeZip([
      {
        name: 'META-INF/maven/g/liar/pom.properties',
        content: Buffer.concat([pomProperties('g', 'liar', '1'), Buffer.alloc(32 * 1024 * 1024)]),
        declaredSize: 80,
      },
      { name: 'META-INF/maven/g/ok/pom.properties', content: pomProperties('g', 'ok', '2') },
    ]);
    const scan = scanJavaArchive(liar, 'x.jar');
    assert.deepEqual(
      scan.packages.map((pkg) => pkg.purl),
      ['pkg:maven/g/ok@2'],
    );
    assert.equal(scan.problems[0]?.code, 'file_too_large');
    // A budget smaller than the whole: the later members are refused once it is spent.
    const many = writeZip(
      Array.from({ length: 10 }, (_, i) => ({
        name: `lib/l${i}-1.0.jar`,
        content: pomJar('g', `l${i}`, '1.0', [
          { name: 'pad.bin', content: Buffer.alloc(100_000), method: 0 },
        ]),
      })),
    );
    const limited = scanJavaArchive(many, 'many.jar', { ...defaultArchiveLimits, inflateBytes: 450_000 });
    assert.equal(limited.packages.length, 4);
    assert.ok(limited.problems.every((problem) => problem.code === 'file_too_large'));
  });

  it('treats traversal and absolute entry names as names only', async () => {
    const content = writeZip([
      { name: '../../../../etc/passwd', content: Buffer.from('root:x:0:0::/root:/bin/sh\n') },
      { name: '/etc/shadow', content: Buffer.from('x') },
      { name: '..\\..\\windows\\evil-6.6.6.jar', content: pomJar('evil', 'evil', '6.6.6') },
      { name: '../lib/escape-1.0.jar', content: pomJar('esc', 'escape', '1.0') },
    ]);
    const facts = await analyze(content, 'app/traversal-1.0.jar');
    assert.deepEqual(purls(facts).sort(), [
      'pkg:generic/traversal@1.0',
      'pkg:maven/esc/escape@1.0',
      'pkg:maven/evil/evil@6.6.6',
    ]);
    assert.deepEqual(diagnostics(facts), []);
  });

  it('reads nested archives to depth 3 and reports the deeper ones', async () => {
    let archive = pomJar('g', 'level4', '4');
    for (const level of [3, 2, 1, 0])
      archive = pomJar('g', `level${level}`, `${level}`, [
        { name: `lib/level${level + 1}-${level + 1}.jar`, content: archive },
      ]);
    const facts = await analyze(archive, 'app/level0-0.jar');
    assert.deepEqual(purls(facts), [
      'pkg:maven/g/level0@0',
      'pkg:maven/g/level1@1',
      'pkg:maven/g/level2@2',
      'pkg:maven/g/level3@3',
    ]);
    assert.deepEqual(diagnostics(facts), [
      'file_too_large: level0-0.jar!/lib/level1-1.jar!/lib/level2-2.jar!/lib/level3-3.jar!/lib/level4-4.jar: nested deeper than 3 archives, not read',
    ]);
  });

  it('bounds overlapping entries (one nested archive named a thousand times)', async () => {
    const inner = writeZip(
      Array.from({ length: 200 }, (_, i) => ({
        name: `lib/x${i}-1.jar`,
        content: pomJar('g', 'leaf', '1'),
        ...(i > 0 ? { sameDataAs: 0 } : {}),
      })),
    );
    const outer = writeZip(
      Array.from({ length: 1000 }, (_, i) => ({
        name: `lib/y${i}-1.jar`,
        content: inner,
        method: 0 as const,
        ...(i > 0 ? { sameDataAs: 0 } : {}),
      })),
    );
    const started = performance.now();
    const scan = scanJavaArchive(outer, 'overlap-1.jar');
    assert.ok(performance.now() - started < 10_000);
    assert.ok(scan.problems.some((problem) => problem.message.includes('nested archives, not read')));
    assert.ok(scan.packages.some((pkg) => pkg.purl === 'pkg:maven/g/leaf@1'));
  });

  it('reads ZIP64 directories, skips encrypted members, reports damage', async () => {
    const zip64 = writeZip(
      [{ name: 'META-INF/maven/g/z/pom.properties', content: pomProperties('g', 'z', '64') }],
      { zip64: true },
    );
    assert.deepEqual(purls(await analyze(zip64, 'z.jar')), ['pkg:maven/g/z@64']);
    const prefixed = writeZip(
      [{ name: 'META-INF/maven/g/z/pom.properties', content: pomProperties('g', 'z', '64') }],
      { zip64: true, prefix: Buffer.alloc(1000, 0x23) },
    );
    assert.deepEqual(purls(await analyze(prefixed, 'z.jar')), ['pkg:maven/g/z@64']);
    const encrypted = writeZip([
      { name: 'META-INF/maven/g/e/pom.properties', content: pomProperties('g', 'e', '1'), flags: 1 },
    ]);
    const encryptedFacts = await analyze(encrypted, 'e.jar');
    assert.deepEqual(purls(encryptedFacts), []);
    assert.deepEqual(diagnostics(encryptedFacts), [
      'parse_error: e.jar!/META-INF/maven/g/e/pom.properties: unsupported member',
    ]);
    const notZip = await analyze(Buffer.from('this is no zip file'), 'app/broken-1.0.jar');
    assert.deepEqual(purls(notZip), []);
    assert.deepEqual(diagnostics(notZip), [
      'parse_error: broken-1.0.jar: no ZIP end of central directory record',
    ]);
  });

  it('never throws on damaged archives', async () => {
    const seed = pomJar('g', 'a', '1', [{ name: 'lib/b-2.jar', content: pomJar('g', 'b', '2') }]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }),
        fc.nat(seed.length),
        async (edits, cut) => {
          const damaged = Buffer.from(seed.subarray(cut));
          for (const [at, value] of edits) if (at < damaged.length) damaged[at] = value;
          assert.ok(Array.isArray(await analyze(damaged, 'a-1.jar')));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('java-archive identification rules', () => {
  it('splits file names at the last dash before a digit', () => {
    assert.deepEqual(fileNameCoordinates('guava-31.1-jre.jar'), { artifactId: 'guava', version: '31.1-jre' });
    assert.deepEqual(fileNameCoordinates('log4j-1.2-api-2.17.1.jar'), {
      artifactId: 'log4j-1.2-api',
      version: '2.17.1',
    });
    assert.deepEqual(fileNameCoordinates('spring-core-5.3.4-SNAPSHOT.jar'), {
      artifactId: 'spring-core',
      version: '5.3.4-SNAPSHOT',
    });
    assert.equal(fileNameCoordinates('app.jar'), undefined);
  });

  it('takes coordinates from a manifest only where it names them', () => {
    const implementation = parseManifest(
      'Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.apache.commons\r\nImplementation-Title: commons-text\r\nImplementation-Version: 1.10.0\r\n\r\nName: x\r\nImplementation-Title: other\r\n',
    );
    assert.deepEqual(manifestCoordinates(implementation, undefined), {
      groupId: 'org.apache.commons',
      artifactId: 'commons-text',
      version: '1.10.0',
    });
    const prose = parseManifest(
      'Implementation-Vendor: The Apache Software Foundation\nImplementation-Title: Apache Commons Text\nImplementation-Version: 1.10.0\n',
    );
    assert.equal(manifestCoordinates(prose, { artifactId: 'commons-text' }), undefined);
    const wrapped = parseManifest(
      'Bundle-SymbolicName: com.fasterxml.jackson.core.jackson-cor\n e\nBundle-Version: 2.15.0\n',
    );
    assert.deepEqual(manifestCoordinates(wrapped, { artifactId: 'jackson-core' }), {
      groupId: 'com.fasterxml.jackson.core',
      artifactId: 'jackson-core',
      version: '2.15.0',
    });
  });

  it('reads Java properties with escapes and continuations', () => {
    const properties = parseJavaProperties(
      '# c\n! c\ngroupId = org.ex\\\n  ample\nartifactId:a\\u0062c\nversion 1.0\n',
    );
    assert.deepEqual(
      [...properties],
      [
        ['groupId', 'org.example'],
        ['artifactId', 'abc'],
        ['version', '1.0'],
      ],
    );
  });

  it('finds the groupId of a name-only jar in a Maven or Gradle repository layout', async () => {
    const plain = writeZip([{ name: 'x/Y.class', content: Buffer.from('x') }]);
    assert.deepEqual(
      purls(
        await analyze(
          plain,
          'root/.m2/repository/org/apache/commons/commons-lang3/3.9/commons-lang3-3.9.jar',
        ),
      ),
      ['pkg:maven/org.apache.commons/commons-lang3@3.9'],
    );
    assert.deepEqual(
      purls(
        await analyze(
          plain,
          'home/u/.gradle/caches/modules-2/files-2.1/com.squareup.okio/okio/3.2.0/0123abcd/okio-3.2.0.jar',
        ),
      ),
      ['pkg:maven/com.squareup.okio/okio@3.2.0'],
    );
  });
});
