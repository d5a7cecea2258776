/**
 * Builds a deterministic OCI image from root filesystem directories (one layer each) into an OCI
 * image layout, without Docker. Prints the manifest descriptor as JSON.
 *
 *   node --import tsx scripts/images/build-image.ts --layout DIR [--tag T] [--compression gzip|zstd|none]
 *     [--arch amd64] [--os linux] [--variant v8] [--env K=V]... [--cmd /bin/sh]... [--entrypoint X]...
 *     [--user U] [--workdir D] [--expose 80/tcp]... [--label K=V]... [--index TAG --platform-of DESC_JSON...]
 *     ROOTFS_DIR...
 *
 * `--index TAG` instead writes a multi-architecture index of the manifest descriptors given as
 * positional JSON arguments (the output of earlier runs with no --tag).
 */
import { parseArgs } from 'node:util';
import type { Descriptor } from '../../packages/engine/src/image/types.ts';
import { writeOciImage, writeOciIndex, type Compression } from '../../test/harness/oci-builder.ts';

const usage =
  'usage: build-image.ts --layout DIR [--tag T] [--compression gzip|zstd|none] [--arch A] [--os O] [--variant V] ROOTFS_DIR...\n' +
  '       build-image.ts --layout DIR --index TAG DESCRIPTOR_JSON...';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function isCompression(value: string): value is Compression {
  return value === 'gzip' || value === 'zstd' || value === 'none';
}

function keyValues(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  return Object.fromEntries(
    values.map((value) => {
      const equals = value.indexOf('=');
      if (equals <= 0) fail(`expected KEY=VALUE, got ${value}`);
      return [value.slice(0, equals), value.slice(equals + 1)];
    }),
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      layout: { type: 'string' },
      tag: { type: 'string' },
      index: { type: 'string' },
      compression: { type: 'string', default: 'gzip' },
      arch: { type: 'string', default: 'amd64' },
      os: { type: 'string', default: 'linux' },
      variant: { type: 'string' },
      env: { type: 'string', multiple: true },
      cmd: { type: 'string', multiple: true },
      entrypoint: { type: 'string', multiple: true },
      user: { type: 'string' },
      workdir: { type: 'string' },
      expose: { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const layout = values.layout ?? fail('--layout is required');
  if (positionals.length === 0)
    fail('give at least one root filesystem directory (or descriptor with --index)');

  if (values.index !== undefined) {
    const descriptors = positionals.map((text) => JSON.parse(text) as Descriptor);
    process.stdout.write(`${JSON.stringify(await writeOciIndex(layout, values.index, descriptors))}\n`);
    return;
  }
  const compression = values.compression;
  if (!isCompression(compression)) fail(`unknown compression ${compression}`);
  const labels = keyValues(values.label);
  const descriptor = await writeOciImage(layout, values.tag, {
    architecture: values.arch,
    os: values.os,
    ...(values.variant ? { variant: values.variant } : {}),
    layers: positionals.map((directory) => ({
      directory,
      compression,
      createdBy: `build-image.ts ${directory}`,
    })),
    config: {
      ...(values.env ? { env: values.env } : {}),
      ...(values.cmd ? { cmd: values.cmd } : {}),
      ...(values.entrypoint ? { entrypoint: values.entrypoint } : {}),
      ...(values.user !== undefined ? { user: values.user } : {}),
      ...(values.workdir !== undefined ? { workingDir: values.workdir } : {}),
      ...(values.expose ? { exposedPorts: values.expose } : {}),
      ...(labels ? { labels } : {}),
    },
  });
  process.stdout.write(`${JSON.stringify(descriptor)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`build-image: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
