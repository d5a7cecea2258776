import { severityLevels, type HandlingState, type SeverityLevel } from '../api/handling-types.ts';
import type { RiskViewKind } from '../api/risk-types.ts';
import { riskTypeLabels } from '../format/risk-type.ts';

/** What the page needs to know of each risk view: its words, its filters, the report tab it links to. */
export interface RiskKindInfo {
  /** PRODUCT.md's name of the risk type (of the section, for the inventory), the tab's label. */
  readonly label: string;
  /** "vulnerabilities", for sentences ("No vulnerabilities found"). */
  readonly plural: string;
  /** Severities the filter offers; empty for the inventory (packages carry none). */
  readonly severities: readonly SeverityLevel[];
  /** Handling states the filter offers; empty when findings of the kind are always open. */
  readonly handling: readonly HandlingState[];
  /** What the search box matches (the finding key holds these). */
  readonly searchHint: string;
  /** The image report tab showing the kind. */
  readonly reportTab: string;
}

export const riskKindInfo: Readonly<Record<RiskViewKind, RiskKindInfo>> = {
  vulnerability: {
    label: riskTypeLabels.vulnerability,
    plural: 'vulnerabilities',
    severities: severityLevels,
    handling: ['open', 'ignored', 'repaired', 'allowlisted'],
    searchHint: 'Advisory id or package',
    reportTab: 'vulnerabilities',
  },
  secret: {
    label: riskTypeLabels.secret,
    plural: 'sensitive information findings',
    severities: severityLevels,
    // A secret is ignored (by an ignore or the path allowlist) or it counts.
    handling: ['open', 'ignored'],
    searchHint: 'Rule id or path',
    reportTab: 'secrets',
  },
  malware: {
    label: riskTypeLabels.malware,
    plural: 'malicious files',
    // The engine rates every malicious file critical.
    severities: ['critical'],
    handling: [],
    searchHint: 'Signature or SHA-256',
    reportTab: 'malware',
  },
  baseline: {
    label: riskTypeLabels.baseline,
    plural: 'failed baseline checks',
    severities: severityLevels,
    handling: [],
    searchHint: 'Check id',
    reportTab: 'baseline',
  },
  compliance: {
    label: riskTypeLabels.compliance,
    plural: 'compliance findings',
    severities: severityLevels,
    handling: [],
    searchHint: 'Rule, software or version',
    reportTab: 'compliance',
  },
  inventory: {
    label: 'Software inventory',
    plural: 'packages',
    severities: [],
    handling: [],
    searchHint: 'Package name, version or purl',
    reportTab: 'software',
  },
};
