import { severityLevels, type SeverityLevel } from '../api/handling-types.ts';
import { riskLevelColors, riskLevelLabels } from '../format/risk-level.ts';

/**
 * Severities of findings. Vulnerabilities use the API's five levels; baseline, secret and
 * compliance findings carry a severity as free text (the engine's levels, lower case), which is
 * shown with the same labels and colours when it is one of them and as it is otherwise.
 */
export function isSeverityLevel(value: string): value is SeverityLevel {
  return (severityLevels as readonly string[]).includes(value);
}

export function severityLabel(value: string): string {
  return isSeverityLevel(value) ? riskLevelLabels[value] : value;
}

export function severityColor(value: string): string {
  return isSeverityLevel(value) ? riskLevelColors[value] : riskLevelColors.unknown;
}

/** Most severe first; unknown texts after `unknown`. */
export function severityRank(value: string): number {
  const index = (severityLevels as readonly string[]).indexOf(value);
  return index === -1 ? severityLevels.length : index;
}
