import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact, OsRelease } from '../fact.ts';
import { familyOf } from './families.ts';
import { parseOsReleaseFile } from './parse-os-release.ts';
import { parseReleaseLine, releaseFiles } from './release-files.ts';

const osReleasePaths = ['etc/os-release', 'usr/lib/os-release'];

function fromOsRelease(text: string): OsRelease | undefined {
  const fields = parseOsReleaseFile(text);
  const id = fields.get('ID')?.toLowerCase();
  if (!id) return undefined;
  const idLike = (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean);
  return {
    family: familyOf(id, idLike),
    id,
    name: fields.get('NAME') ?? id,
    versionId: fields.get('VERSION_ID'),
    versionCodename: fields.get('VERSION_CODENAME') ?? fields.get('UBUNTU_CODENAME'),
    prettyName: fields.get('PRETTY_NAME'),
    idLike,
  };
}

function fromLsbRelease(text: string): OsRelease | undefined {
  const fields = parseOsReleaseFile(text);
  const id = fields.get('DISTRIB_ID')?.toLowerCase();
  if (!id) return undefined;
  return {
    family: familyOf(id, []),
    id,
    name: fields.get('DISTRIB_ID') ?? id,
    versionId: fields.get('DISTRIB_RELEASE'),
    versionCodename: fields.get('DISTRIB_CODENAME'),
    prettyName: fields.get('DISTRIB_DESCRIPTION'),
    idLike: [],
  };
}

/**
 * Operating-system detection. os-release is the primary evidence; the older release files fill in
 * images without it and refine versions (Debian's point release lives only in debian_version).
 */
export const osReleaseAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'os-release',
  version: 1,
  wants: {
    paths: [
      ...osReleasePaths,
      'etc/lsb-release',
      'etc/alpine-release',
      'etc/debian_version',
      ...Object.keys(releaseFiles),
    ],
    maxBytes: 64 * 1024,
  },
  analyze(file, context): readonly Fact[] {
    const text = file.content.toString('utf8');
    const layer = context.layer;
    if (osReleasePaths.includes(file.path)) {
      const os = fromOsRelease(text);
      return os ? [{ kind: 'os', layer, path: file.path, source: 'os-release', os }] : [];
    }
    if (file.path === 'etc/lsb-release') {
      const os = fromLsbRelease(text);
      return os ? [{ kind: 'os', layer, path: file.path, source: 'lsb-release', os }] : [];
    }
    const firstLine = text.split('\n')[0]?.trim() ?? '';
    if (file.path === 'etc/alpine-release') {
      if (!/^\d+\.\d+/.test(firstLine)) return [];
      const os: OsRelease = {
        family: 'alpine',
        id: 'alpine',
        name: 'Alpine Linux',
        versionId: firstLine,
        versionCodename: undefined,
        prettyName: undefined,
        idLike: [],
      };
      return [{ kind: 'os', layer, path: file.path, source: 'alpine-release', os }];
    }
    if (file.path === 'etc/debian_version') {
      if (firstLine === '') return [];
      const os: OsRelease = {
        family: 'debian',
        id: 'debian',
        name: 'Debian GNU/Linux',
        versionId: firstLine,
        versionCodename: undefined,
        prettyName: undefined,
        idLike: [],
      };
      return [{ kind: 'os', layer, path: file.path, source: 'debian_version', os }];
    }
    const os = parseReleaseLine(file.path, text);
    return os ? [{ kind: 'os', layer, path: file.path, source: 'distribution-release', os }] : [];
  },
};
