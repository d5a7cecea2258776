import type { SecretFact } from '../analyzer/fact.ts';
import type { SecretMatch } from '../analyzer/secret/secret-match.ts';
import { severityOrder } from '../match/finding.ts';
import type { SurvivingFiles } from '../inventory/surviving-files.ts';
import type { SecretFinding } from './result.ts';

/**
 * Findings of the secret facts of every layer and of the image configuration. The same secret in
 * the same file in several layers (a file copied again unchanged) is one finding, at the lowest
 * layer: that is where it entered the image. Ordered configuration first, then by layer and path.
 */
export function secretFindings(
  facts: readonly SecretFact[],
  configMatches: readonly SecretMatch[],
  survivingLayer: SurvivingFiles['layerOf'],
): SecretFinding[] {
  // The fingerprint covers rule, path and secret; with the layer it names one fact.
  const held = new Set(facts.map((fact) => `${fact.layer.index}\0${fact.match.fingerprint}`));
  const seen = new Set<string>();
  const fromFiles: SecretFinding[] = [];
  for (const fact of [...facts].sort((a, b) => a.layer.index - b.layer.index)) {
    if (seen.has(fact.match.fingerprint)) continue;
    seen.add(fact.match.fingerprint);
    fromFiles.push({
      ...fact.match,
      location: 'file',
      layer: fact.layer,
      // A later layer that wrote the same secret again keeps it in the final filesystem too.
      inFinalFilesystem: held.has(`${survivingLayer(fact.path) ?? -1}\0${fact.match.fingerprint}`),
    });
  }
  fromFiles.sort(
    (a, b) =>
      (a.layer?.index ?? 0) - (b.layer?.index ?? 0) ||
      a.path.localeCompare(b.path) ||
      a.line - b.line ||
      severityOrder[b.severity] - severityOrder[a.severity],
  );
  const fromConfig = configMatches.map((match): SecretFinding => ({
    ...match,
    location: 'config',
    inFinalFilesystem: true,
  }));
  return [...fromConfig, ...fromFiles];
}
