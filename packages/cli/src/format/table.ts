import Table from 'cli-table3';
import pc from 'picocolors';
import type { ImageReport, ScanReport } from '@drydock/engine';
import { formatBytes, formatPlatform } from '@drydock/engine';

export interface TableOptions {
  readonly color: boolean;
}

const instructionWidth = 70;

/** Shortens a build instruction for a table cell: buildkit prefixes dropped, one line, ellipsis. */
function shortInstruction(createdBy: string | undefined): string {
  if (!createdBy) return '';
  const text = createdBy
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/\s+/g, ' ')
    .replace(/ # buildkit$/, '')
    .trim();
  return text.length > instructionWidth ? `${text.slice(0, instructionWidth - 1)}…` : text;
}

function shortDigest(digest: string | undefined): string {
  if (!digest) return '';
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

function heading(text: string, options: TableOptions): string {
  return options.color ? pc.bold(pc.cyan(text)) : text;
}

function table(head: string[], rows: (string | number)[][], options: TableOptions): string {
  const rendered = new Table({
    head,
    style: { head: options.color ? ['bold'] : [], border: options.color ? ['grey'] : [] },
    wordWrap: true,
    // No rule between rows: long reports stay readable in a terminal.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  rendered.push(...rows.map((row) => row.map(String)));
  return rendered.toString();
}

function imageSection(image: ImageReport, options: TableOptions): string {
  const lines: string[] = [];
  const os = image.os
    ? `${image.os.prettyName ?? image.os.name} (${image.os.family} ${image.os.version ?? 'unknown version'})`
    : 'unknown';
  lines.push(heading(`Image ${formatPlatform(image.platform)}`, options));
  lines.push(
    table(
      ['Field', 'Value'],
      [
        ['Manifest digest', image.manifestDigest ?? ''],
        ['Config digest', image.configDigest ?? ''],
        ['Tags', image.repoTags.join(', ')],
        ['Created', image.created ?? ''],
        ['Operating system', os],
        ['User', image.config.user || '(root)'],
        ['Entrypoint / Cmd', [...image.config.entrypoint, ...image.config.cmd].join(' ')],
        ['Exposed ports', image.config.exposedPorts.join(', ')],
        ['Healthcheck', image.config.healthcheck ? image.config.healthcheck.join(' ') : 'none'],
      ],
      options,
    ),
  );
  lines.push(heading('Layers', options));
  lines.push(
    table(
      ['#', 'Digest', 'Size', 'Unpacked', 'Files', 'Instruction'],
      image.layers.map((layer) => [
        layer.index + 1,
        shortDigest(layer.digest),
        formatBytes(layer.size),
        formatBytes(layer.uncompressedSize),
        layer.stats.files,
        shortInstruction(layer.createdBy),
      ]),
      options,
    ),
  );
  if (image.packages.length > 0) {
    lines.push(heading(`Packages (${image.packages.length})`, options));
    lines.push(
      table(
        ['Ecosystem', 'Name', 'Version', 'Source package', 'Layer', 'Found in'],
        image.packages.map((pkg) => [
          pkg.ecosystem,
          pkg.name,
          pkg.version,
          pkg.source && (pkg.source.name !== pkg.name || pkg.source.version !== pkg.version)
            ? `${pkg.source.name} ${pkg.source.version}`
            : '',
          pkg.layer.index + 1,
          `/${pkg.path}`,
        ]),
        options,
      ),
    );
  }
  const files = image.files;
  lines.push(heading('Files', options));
  lines.push(
    table(
      ['Files', 'Directories', 'Symlinks', 'Total size', 'Setuid', 'Setgid', 'World-writable'],
      [
        [
          files.files,
          files.directories,
          files.symlinks,
          formatBytes(files.totalBytes),
          files.setuid.length,
          files.setgid.length,
          files.worldWritable.length,
        ],
      ],
      options,
    ),
  );
  if (files.largest.length > 0) {
    lines.push(heading('Largest files', options));
    lines.push(
      table(
        ['Path', 'Size', 'Layer'],
        files.largest
          .slice(0, 10)
          .map((file) => [`/${file.path}`, formatBytes(file.size), file.layerIndex + 1]),
        options,
      ),
    );
  }
  const special = [
    ...files.setuid.map((path) => ['setuid', `/${path}`]),
    ...files.setgid.map((path) => ['setgid', `/${path}`]),
  ];
  if (special.length > 0) {
    lines.push(heading('Setuid and setgid files', options));
    lines.push(table(['Kind', 'Path'], special.slice(0, 50), options));
  }
  if (image.diagnostics.length > 0) {
    lines.push(heading(`Diagnostics (${image.diagnostics.length})`, options));
    lines.push(
      table(
        ['Layer', 'Path', 'Code', 'Message'],
        image.diagnostics
          .slice(0, 20)
          .map((entry) => [entry.layerIndex + 1, entry.path, entry.code, entry.message]),
        options,
      ),
    );
  }
  return lines.join('\n');
}

/** The human-readable report: image metadata, platforms, layers with instructions, OS and files. */
export function formatTable(report: ScanReport, options: TableOptions): string {
  const parts: string[] = [];
  const { artifact } = report;
  parts.push(
    `${heading(artifact.name, options)} (${artifact.kind}${artifact.digest ? `, ${artifact.digest}` : ''})`,
  );
  if (artifact.platforms.length > 0) {
    const scanned = new Set(report.images.map((image) => formatPlatform(image.platform)));
    parts.push(heading('Platforms', options));
    parts.push(
      table(
        ['Platform', 'Manifest digest', 'Scanned'],
        artifact.platforms.map((entry) => [
          formatPlatform(entry.platform),
          entry.digest,
          scanned.has(formatPlatform(entry.platform)) ? 'yes' : 'no',
        ]),
        options,
      ),
    );
  }
  for (const image of report.images) parts.push(imageSection(image, options));
  return `${parts.join('\n')}\n`;
}
