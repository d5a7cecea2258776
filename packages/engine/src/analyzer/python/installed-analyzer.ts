import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { parseCoreMetadata } from './core-metadata.ts';
import { metadataFileOf, metadataSuffixes } from './metadata-path.ts';
import { packageFacts, parseErrorFact } from './python-facts.ts';
import { decodeText } from './text.ts';
import { readZipMember } from './zip-member.ts';

const id = 'python-installed';
const maxMetadataBytes = 8 * 1024 * 1024;

/**
 * Installed Python distributions, from their core metadata: `*.dist-info/METADATA`,
 * `*.egg-info/PKG-INFO`, single-file `*.egg-info`, and eggs, unpacked (`EGG-INFO/PKG-INFO`) or zipped.
 */
export const pythonInstalledAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { suffixes: [...metadataSuffixes], maxBytes: 64 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    const kind = metadataFileOf(file.path);
    if (kind === undefined) return [];
    if (kind === 'metadata') {
      return packageFacts(id, 'installed', file, context, parseCoreMetadata(decodeText(file.content)));
    }
    const member = readZipMember(file.content, 'EGG-INFO/PKG-INFO', maxMetadataBytes);
    if (!member.ok) return [parseErrorFact(id, file, context, member.error)];
    if (member.content === undefined)
      return [parseErrorFact(id, file, context, 'egg has no EGG-INFO/PKG-INFO')];
    return packageFacts(id, 'installed', file, context, parseCoreMetadata(decodeText(member.content)));
  },
};
