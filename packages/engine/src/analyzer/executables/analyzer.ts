import { createHash } from 'node:crypto';
import type { EachFileAnalyzer } from '../contract.ts';

/** Executables larger than this are not hashed (and get a `file_too_large` diagnostic). */
const maxExecutableBytes = 256 * 1024 * 1024;

/**
 * SHA-256 of every executable regular file (any execute bit), for prohibited-software lists that
 * name builds by digest. Added to a scan only when the policy holds digests: it reads every
 * program of the image.
 */
export const executableDigestsAnalyzer: EachFileAnalyzer = {
  kind: 'each',
  id: 'executable-digests',
  version: 1,
  wants: {
    match: (_path, size, mode) => size > 0 && (mode & 0o111) !== 0,
    matchGuard: { executable: true },
    maxBytes: maxExecutableBytes,
  },
  analyze(file, context) {
    return [
      {
        kind: 'executable',
        layer: context.layer,
        path: file.path,
        sha256: createHash('sha256').update(file.content).digest('hex'),
      },
    ];
  },
};
