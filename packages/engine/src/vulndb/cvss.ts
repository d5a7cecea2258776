import cvssCalculator from 'ae-cvss-calculator';

/**
 * CVSS base scores from vector strings, computed by ae-cvss-calculator ({metæffekt}, Apache-2.0),
 * which implements FIRST's v2.0, v3.0, v3.1 and v4.0 specifications:
 * https://www.first.org/cvss/v2/guide, https://www.first.org/cvss/v3.1/specification-document,
 * https://www.first.org/cvss/v4.0/specification-document.
 *
 * The library accepts partial vectors (missing metrics count as "not defined" and score 0), so a
 * vector is first checked here: the right prefix, every base metric present exactly once. Only
 * then is it scored. For v4.0 the score is CVSS-B/BT/BE/BTE as the vector's metrics allow; for
 * v2 and v3 it is the base score.
 */
export type CvssVersion = 'v2' | 'v3' | 'v4';

export interface CvssScore {
  readonly version: CvssVersion;
  readonly score: number;
  readonly vector: string;
}

const baseMetrics: Readonly<Record<CvssVersion, readonly string[]>> = {
  v2: ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  v3: ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  v4: ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

function versionOf(vector: string): { version: CvssVersion; minor: string; body: string } | undefined {
  const match = /^CVSS:(3\.0|3\.1|4\.0)\/(.*)$/.exec(vector);
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { version: match[1] === '4.0' ? 'v4' : 'v3', minor: match[1], body: match[2] };
  }
  if (/^(\(?AV:)/.test(vector)) return { version: 'v2', minor: '2.0', body: vector.replace(/^\(|\)$/g, '') };
  return undefined;
}

/** Has every base metric of its version, each once, and nothing that is not `KEY:VALUE`. */
function wellFormed(version: CvssVersion, body: string): boolean {
  const seen = new Set<string>();
  for (const part of body.split('/')) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match?.[1] || seen.has(match[1])) return false;
    seen.add(match[1]);
  }
  return baseMetrics[version].every((metric) => seen.has(metric));
}

/** The base score of a CVSS vector, or undefined when the vector is not a valid one. */
export function scoreCvssVector(vector: string): CvssScore | undefined {
  const trimmed = vector.trim();
  const parsed = versionOf(trimmed);
  if (parsed === undefined || !wellFormed(parsed.version, parsed.body)) return undefined;
  try {
    switch (parsed.minor) {
      case '4.0': {
        const scores = new cvssCalculator.Cvss4P0(trimmed).calculateScores();
        return { version: 'v4', score: scores.overall, vector: trimmed };
      }
      case '3.1': {
        const scores = new cvssCalculator.Cvss3P1(trimmed).calculateScores();
        return scores.base === undefined ? undefined : { version: 'v3', score: scores.base, vector: trimmed };
      }
      case '3.0': {
        const scores = new cvssCalculator.Cvss3P0(trimmed).calculateScores();
        return scores.base === undefined ? undefined : { version: 'v3', score: scores.base, vector: trimmed };
      }
      default: {
        const scores = new cvssCalculator.Cvss2(parsed.body).calculateScores();
        return scores.base === undefined ? undefined : { version: 'v2', score: scores.base, vector: trimmed };
      }
    }
  } catch {
    return undefined;
  }
}
