/**
 * The images `npm run bench` scans, each built once into `.cache/bench/` and reused: a Debian
 * rootfs with a node_modules application, Debian's Python and Java packages, Debian's Go binaries,
 * a 3 GB image and an image of a million files. BENCH_LARGE=0 leaves out the last two.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { benchImageLayout, cacheDir, debianRootfsTar, debianTar } from './fixtures.ts';
import { largeLayerEntries } from './image-large.ts';
import { streamedImageLayout } from './image-layout.ts';
import { manyFilesEntries } from './image-many-files.ts';
import { tarStream, type TarEntry } from './image-tar.ts';

export interface BenchImage {
  /** Short name: the row label and the repository name in the registry. */
  readonly name: string;
  readonly description: string;
  /** Builds the layout when missing; returns it with its tag. */
  readonly build: () => Promise<{ layout: string; tag: string }>;
}

const pythonJavaPackages = [
  'python3',
  'python3-requests',
  'python3-yaml',
  'python3-django',
  'python3-numpy',
  'python3-flask',
  'python3-cryptography',
  'python3-jinja2',
  'python3-sqlalchemy',
  'libcommons-lang3-java',
  'libguava-java',
  'libjackson2-databind-java',
  'liblog4j2-java',
  'libcommons-io-java',
  'libslf4j-java',
];

/** Debian bookworm packages whose binaries are built with Go 1.19. */
const goPackages = [
  'restic',
  'rclone',
  'fzf',
  'age',
  'direnv',
  'hugo',
  'gh',
  'prometheus-node-exporter',
  'mkcert',
];

function debianPackagesImage(name: string, description: string, packages: readonly string[]): BenchImage {
  return {
    name,
    description,
    build: async () => {
      const tar = await debianTar(name, packages);
      const layout = await streamedImageLayout(join(cacheDir, `${name}-layout`), name, [
        {
          createdBy: `mmdebstrap --variant=minbase --include=${packages.join(',')}`,
          open: () => createReadStream(tar),
        },
      ]);
      return { layout, tag: name };
    },
  };
}

function generatedImage(name: string, description: string, entries: () => Iterable<TarEntry>): BenchImage {
  return {
    name,
    description,
    build: async () => {
      const base = await debianRootfsTar();
      const layout = await streamedImageLayout(join(cacheDir, `${name}-layout`), name, [
        { createdBy: 'ADD debian-bookworm-minbase.tar /', open: () => createReadStream(base) },
        { createdBy: `COPY ${name}/ /`, open: () => tarStream(entries()) },
      ]);
      return { layout, tag: name };
    },
  };
}

export function benchImages(large: boolean): BenchImage[] {
  const images: BenchImage[] = [
    {
      name: 'debian-node',
      description:
        'Debian bookworm minbase with python3 (mmdebstrap) + a node_modules tree from the npm registry',
      build: benchImageLayout,
    },
    debianPackagesImage(
      'python-java',
      `Debian minbase with Python and Java library packages (${pythonJavaPackages.join(', ')}), no JRE`,
      pythonJavaPackages,
    ),
    debianPackagesImage(
      'go-binaries',
      `Debian minbase with Go binaries (${goPackages.join(', ')})`,
      goPackages,
    ),
  ];
  if (!large) return images;
  return [
    ...images,
    generatedImage(
      'large-3gb',
      'Debian minbase + 3.0 GB: 4 × 550 MB model weights and 100 MB media (incompressible), a 400 MB CSV export and 300 MB of logs',
      largeLayerEntries,
    ),
    generatedImage(
      'million-files',
      'Debian minbase + 1,000,000 small JSON files (80–700 bytes) in 1,000 directories',
      manyFilesEntries,
    ),
  ];
}
