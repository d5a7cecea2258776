/**
 * The images of the scale-out benchmark (bench/scale-out.ts): every image is one shared base layer
 * and one small layer of its own, as in a fleet built on one base image. The base is Alpine-like
 * (os-release and an apk installed database whose packages have advisories in the Alpine records
 * of ../shared/vulndata, so scans match real vulnerabilities) with a few MB of incompressible
 * "library" files owned by those packages, so pulling and walking it costs what a real base costs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildTestImage, RegistryPusher } from '../test/harness/registry-push.ts';
import type { TestRegistry } from '../test/harness/registry.ts';

/** The Alpine records in OSV form (see ../shared/vulndata/README.md). */
export const alpineRecords = join(
  import.meta.dirname,
  '..',
  '..',
  'shared',
  'vulndata',
  'alpine-secdb-historic',
  'Alpine.jsonl',
);

/** The release the base claims to be; its advisories are in the records above. */
const alpineRelease = '3.10';

export interface BaseLayerSpec {
  /** Installed packages in the apk database. */
  readonly packages: number;
  /** Bytes of library files in all (split evenly between the packages). */
  readonly libraryBytes: number;
}

export interface PushedImages {
  /** `repository:tag` of each image, in push order. */
  readonly references: readonly string[];
  readonly repositories: number;
  /** The shared base layer: compressed and uncompressed bytes, files, packages. */
  readonly base: {
    readonly compressedBytes: number;
    readonly uncompressedBytes: number;
    readonly files: number;
    readonly packages: number;
  };
  /** Compressed bytes of one image's own layer (the first image's). */
  readonly ownLayerBytes: number;
}

interface InstalledPackage {
  readonly name: string;
  readonly version: string;
}

/**
 * Packages of the release with an advisory fixed in a later revision of the same upstream version
 * (`fixed: X-rN`, N ≥ 1): installed at `X-r0` they are affected. Sorted by name, so every run
 * builds the same base layer.
 */
async function affectedPackages(wanted: number): Promise<InstalledPackage[]> {
  const found = new Map<string, string>();
  for (const line of (await readFile(alpineRecords, 'utf8')).split('\n')) {
    if (line === '') continue;
    const record = JSON.parse(line) as {
      affected?: readonly {
        package: { ecosystem: string; name: string };
        ranges?: readonly { events: readonly Record<string, string>[] }[];
      }[];
    };
    for (const affected of record.affected ?? []) {
      if (affected.package.ecosystem !== `Alpine:v${alpineRelease}`) continue;
      if (found.has(affected.package.name)) continue;
      const fixed = affected.ranges?.flatMap((range) => range.events).find((event) => event['fixed'])?.[
        'fixed'
      ];
      const match = fixed === undefined ? null : /^(.+)-r([1-9]\d*)$/.exec(fixed);
      if (match?.[1]) found.set(affected.package.name, `${match[1]}-r0`);
    }
  }
  const names = [...found.keys()].sort().slice(0, wanted);
  if (names.length < wanted)
    throw new Error(`only ${names.length} affected Alpine v${alpineRelease} packages in ${alpineRecords}`);
  return names.map((name) => ({ name, version: found.get(name) ?? '' }));
}

/** Deterministic incompressible bytes (SHA-256 in counter mode), so every run pushes the same base. */
function pseudoRandomBytes(seed: string, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let offset = 0, counter = 0; offset < size; offset += 32, counter += 1) {
    const block = createHash('sha256').update(`${seed}:${counter}`).digest();
    block.copy(out, offset, 0, Math.min(32, size - offset));
  }
  return out;
}

/** The base layer's files: path → content. */
async function baseLayerFiles(spec: BaseLayerSpec): Promise<Record<string, string | Buffer>> {
  const packages = await affectedPackages(spec.packages);
  const libraryBytes = Math.max(1, Math.floor(spec.libraryBytes / packages.length));
  const files: Record<string, string | Buffer> = {
    'etc/os-release': [
      'NAME="Alpine Linux"',
      'ID=alpine',
      `VERSION_ID=${alpineRelease}.9`,
      `PRETTY_NAME="Alpine Linux v${alpineRelease}"`,
      'HOME_URL="https://alpinelinux.org/"',
      '',
    ].join('\n'),
    'etc/alpine-release': `${alpineRelease}.9\n`,
    'etc/hostname': 'localhost\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n',
    'etc/group': 'root:x:0:root\nnobody:x:65534:\n',
  };
  const entries: string[] = [];
  for (const { name, version } of packages) {
    const library = `lib${name.replace(/[^a-z0-9]+/gi, '-')}.so.1`;
    files[`usr/lib/${library}`] = pseudoRandomBytes(name, libraryBytes);
    files[`usr/share/doc/${name}/README`] = `${name} ${version}\n`;
    // The installed database format: https://wiki.alpinelinux.org/wiki/Apk_spec (Installed Database).
    entries.push(
      [
        `P:${name}`,
        `V:${version}`,
        'A:x86_64',
        `o:${name}`,
        'L:MIT',
        'F:usr/lib',
        `R:${library}`,
        `F:usr/share/doc/${name}`,
        'R:README',
      ].join('\n'),
    );
  }
  files['lib/apk/db/installed'] = `${entries.join('\n\n')}\n\n`;
  return files;
}

/** One image's own layer: an application directory with a little configuration and code. */
function ownLayerFiles(index: number): Record<string, string> {
  const app = `srv/app-${index}`;
  return {
    [`${app}/app.conf`]: `name = service-${index}\nport = ${8000 + (index % 1000)}\nworkers = 4\n`,
    [`${app}/main.sh`]: `#!/bin/sh\n# service ${index}\nexec /usr/bin/service-${index} --config /${app}/app.conf\n`,
    [`${app}/VERSION`]: `1.${index}.0\n`,
  };
}

/**
 * Builds and pushes `count` images over `repositories` repositories (`team-K/service-K:vN`), each
 * the shared base layer plus its own layer. A blob is uploaded once per repository.
 */
export async function pushScaleOutImages(
  registry: TestRegistry,
  count: number,
  repositories: number,
  base: BaseLayerSpec,
): Promise<PushedImages> {
  const pusher = new RegistryPusher(registry);
  const baseFiles = await baseLayerFiles(base);
  const uploaded = new Set<string>();
  const references: string[] = [];
  let summary: PushedImages['base'] | undefined;
  let ownLayerBytes = 0;
  for (let index = 0; index < count; index += 1) {
    const repository = `team-${index % repositories}/service-${index % repositories}`;
    const tag = `v${index}`;
    const image = await buildTestImage({ layers: [baseFiles, ownLayerFiles(index)] });
    for (const blob of [image.config, ...image.layers]) {
      const key = `${repository}@${blob.digest}`;
      if (uploaded.has(key)) continue;
      await pusher.pushBlob(repository, blob.bytes);
      uploaded.add(key);
    }
    await pusher.pushManifest(repository, tag, image.manifest.bytes, image.manifest.mediaType);
    references.push(`${repository}:${tag}`);
    if (!summary) {
      summary = {
        compressedBytes: image.layers[0]?.size ?? 0,
        uncompressedBytes: image.layerTars[0]?.length ?? 0,
        files: Object.keys(baseFiles).length,
        packages: base.packages,
      };
      ownLayerBytes = image.layers[1]?.size ?? 0;
    }
  }
  if (!summary) throw new Error('no image to push');
  return { references, repositories, base: summary, ownLayerBytes };
}
