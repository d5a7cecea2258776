import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { scanJavaArchive } from './archive-packages.ts';

const id = 'java-archive';

/**
 * Java archives (jar, war, ear, par, Jenkins jpi/hpi) and the archives nested in them: Maven
 * coordinates from pom.properties, the manifest, or the file name. See readme.md.
 */
export const javaArchiveAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id,
  version: 1,
  wants: { suffixes: ['.jar', '.war', '.ear', '.par', '.jpi', '.hpi'], maxBytes: 256 * 1024 * 1024 },
  analyze(file, context): readonly Fact[] {
    const scan = scanJavaArchive(file.content, file.path);
    return [
      ...scan.packages.map((pkg): Fact => ({
        kind: 'package',
        layer: context.layer,
        path: file.path,
        origin: 'installed',
        pkg,
      })),
      ...scan.problems.map((problem): Fact => ({
        kind: 'diagnostic',
        layer: context.layer,
        path: file.path,
        source: id,
        code: problem.code,
        message: problem.message,
      })),
    ];
  },
};
