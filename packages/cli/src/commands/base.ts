import {
  BaseImageCatalogue,
  countBySeverity,
  databaseExists,
  defaultBaseImageCataloguePath,
  defaultDatabasePath,
  formatPlatform,
  openImageSource,
  openVulnerabilityDatabase,
  parseReference,
  RegistryClient,
  scanSource,
  type VulnerabilityDatabase,
} from '@drydock/engine';
import { parseDuration } from '../duration.ts';
import { printError } from '../print-error.ts';

/** Exit status when the command could not do its work. */
const errorExitCode = 2;

function cataloguePath(options: Record<string, unknown>): string {
  return typeof options['catalogue'] === 'string' ? options['catalogue'] : defaultBaseImageCataloguePath();
}

function fail(error: unknown): number {
  printError(error);
  return errorExitCode;
}

/** Repository and tag a base image is catalogued under: `--name` when given, else the reference's. */
function nameAndTag(reference: string, given: unknown): { name: string; tag: string } {
  const text = typeof given === 'string' ? given : reference;
  const parsed = parseReference(text.replace(/^docker:\/\//, ''));
  return { name: parsed.repository, tag: parsed.tag ?? parsed.digest ?? 'latest' };
}

/**
 * References with a trailing `/*` (`registry.example.com/library/*`) stand for every tag of every
 * repository under that path, listed through the registry's catalog and tag list API (`--tags
 * REGEX` keeps the tags it matches); others are kept as they are.
 */
async function expandReferences(
  references: readonly string[],
  options: Record<string, unknown>,
  signal: AbortSignal,
): Promise<string[]> {
  const tagFilter = typeof options['tags'] === 'string' ? new RegExp(options['tags']) : undefined;
  const expanded: string[] = [];
  for (const reference of references) {
    if (!reference.endsWith('/*')) {
      expanded.push(reference);
      continue;
    }
    const path = reference.slice(0, -2).replace(/^docker:\/\//, '');
    const slash = path.indexOf('/');
    const registry = slash === -1 ? path : path.slice(0, slash);
    const prefix = slash === -1 ? '' : `${path.slice(slash + 1)}/`;
    const client = new RegistryClient(registry, { insecure: options['insecure'] === true });
    try {
      for await (const repository of client.catalog(signal)) {
        if (!repository.startsWith(prefix)) continue;
        for await (const tag of client.tags(repository, signal))
          if (tagFilter === undefined || tagFilter.test(tag))
            expanded.push(`${registry}/${repository}:${tag}`);
      }
    } finally {
      await client.close();
    }
    if (!expanded.some((entry) => entry.startsWith(`${registry}/${prefix}`)))
      process.stderr.write(`drydock: warning: no repository under ${reference}\n`);
  }
  return expanded;
}

/**
 * `drydock base add REF...`: scans each image (every platform of an index) and catalogues it as
 * a base image: its layers, OS and, when a vulnerability database exists, its vulnerability counts
 * (to suggest a tag with fewer). Local sources need `--name REPOSITORY:TAG`; `REGISTRY/PATH/*`
 * adds every tag of every repository under PATH.
 */
export async function runBaseAdd(
  references: readonly string[],
  options: Record<string, unknown>,
): Promise<number> {
  const signal = AbortSignal.timeout(parseDuration(String(options['timeout'] ?? '30m')));
  let database: VulnerabilityDatabase | undefined;
  let catalogue: BaseImageCatalogue | undefined;
  try {
    const dbPath = typeof options['db'] === 'string' ? options['db'] : defaultDatabasePath();
    database = (await databaseExists(dbPath)) ? openVulnerabilityDatabase(dbPath) : undefined;
    catalogue = BaseImageCatalogue.open(cataloguePath(options), { create: true });
    for (const reference of await expandReferences(references, options, signal)) {
      const { name, tag } = nameAndTag(reference, options['name']);
      const source = await openImageSource(reference, { insecure: options['insecure'] === true });
      try {
        const report = await scanSource(source, {
          signal,
          allPlatforms: true,
          ...(database ? { vulnerabilityDatabase: database } : {}),
        });
        for (const image of report.images) {
          const digest = image.manifestDigest ?? image.configDigest;
          if (digest === undefined)
            throw new Error(`${reference} has no manifest or configuration digest to catalogue it by`);
          catalogue.add({
            name,
            tag,
            digest,
            platform: image.platform,
            ...(image.created ? { created: image.created } : {}),
            diffIds: image.layers.map((layer) => layer.diffId ?? layer.digest),
            ...(image.os
              ? { os: { family: image.os.family, id: image.os.id, version: image.os.version } }
              : {}),
            addedBy: options['marked'] === true ? 'marked' : 'catalogued',
            ...(image.vulnerabilities
              ? { findings: countBySeverity(image.vulnerabilities, (finding) => finding.severity) }
              : {}),
          });
          process.stdout.write(
            `catalogued ${name}:${tag} (${formatPlatform(image.platform)}, ${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}${image.os?.prettyName ? `, ${image.os.prettyName}` : ''}${image.vulnerabilities ? `, ${image.vulnerabilities.length} vulnerabilit${image.vulnerabilities.length === 1 ? 'y' : 'ies'}` : ''})\n`,
          );
        }
      } finally {
        await source.close();
      }
    }
    return 0;
  } catch (error) {
    return fail(error);
  } finally {
    catalogue?.close();
    database?.close();
  }
}

/** `drydock base list`: the catalogue, one line per entry. */
export function runBaseList(options: Record<string, unknown>): number {
  try {
    const catalogue = BaseImageCatalogue.open(cataloguePath(options));
    const entries = catalogue?.list() ?? [];
    catalogue?.close();
    if (options['format'] === 'json') {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      return 0;
    }
    if (entries.length === 0) process.stdout.write('no base images catalogued (drydock base add REF)\n');
    for (const entry of entries) {
      const counts = entry.findings
        ? ` critical ${entry.findings.critical}, high ${entry.findings.high}, medium ${entry.findings.medium}`
        : '';
      process.stdout.write(
        `${entry.name}:${entry.tag} ${formatPlatform(entry.platform)} ${entry.digest.slice(0, 19)} ${entry.diffIds.length} layers${entry.os ? ` ${entry.os.id} ${entry.os.version ?? ''}` : ''}${counts}\n`,
      );
    }
    return 0;
  } catch (error) {
    return fail(error);
  }
}

/** `drydock base remove NAME[:TAG]`. */
export function runBaseRemove(target: string, options: Record<string, unknown>): number {
  try {
    const catalogue = BaseImageCatalogue.open(cataloguePath(options));
    const colon = target.lastIndexOf(':');
    const slash = target.lastIndexOf('/');
    const [name, tag] =
      colon > slash ? [target.slice(0, colon), target.slice(colon + 1)] : [target, undefined];
    const removed = catalogue?.remove(name, tag) ?? 0;
    catalogue?.close();
    process.stdout.write(`removed ${removed} entr${removed === 1 ? 'y' : 'ies'}\n`);
    return 0;
  } catch (error) {
    return fail(error);
  }
}
