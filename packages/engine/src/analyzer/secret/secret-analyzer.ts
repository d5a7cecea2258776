import type { EachFileAnalyzer } from '../contract.ts';
import type { Fact } from '../fact.ts';
import { isCredentialFileName } from './credential-file-names.ts';
import type { SecretScanner } from './scanner.ts';
import { SecretFileStream } from './secret-file-stream.ts';

/**
 * The secret rules as an analyzer of regular files. Files on the allowlists and files over the
 * size cap are not wanted, so the walk never reads them for this analyzer (and reports nothing
 * about them: a 2 GB database file is not a finding), but for credential files by name
 * (credential-file-names.ts), which the walk reports as too large to search. Binary files are read
 * and sniffed by the scanner, because credential files (`*.p12`, `*.jks`) are binary. With worker
 * threads the walk reads on while files are searched (`concurrent`); without, files are searched as
 * they stream by (`open`, secret-file-stream.ts), so the walk copies none of them for this analyzer.
 */
export function secretAnalyzer(scanner: SecretScanner): EachFileAnalyzer {
  const rules = scanner.ruleSet;
  return {
    kind: 'each',
    id: 'secret',
    version: 1,
    concurrent: scanner.threads > 0,
    wants: {
      // A credential file over the cap is wanted all the same: the walk then reports it as too
      // large to search (file_too_large) instead of passing it over in silence.
      match: (path, size) =>
        size > 0 && (size <= rules.maxFileBytes || isCredentialFileName(path)) && !rules.isPathAllowed(path),
      maxBytes: rules.maxFileBytes,
    },
    ...(scanner.threads === 0
      ? {
          open: (file, context) => new SecretFileStream(rules, file.path, file.size, context.layer),
          // What SecretFileStream.linked answers when the file had no secrets.
          linkedWithoutFacts: (target, link) =>
            rules.pathBoundRulesAt(link) === rules.pathBoundRulesAt(target) ? [] : undefined,
        }
      : {}),
    async analyze(file, context) {
      const result = await scanner.scan(file.path, file.content, context.signal);
      return result.matches.map((match): Fact => ({
        kind: 'secret',
        layer: context.layer,
        path: file.path,
        match,
      }));
    },
  };
}
