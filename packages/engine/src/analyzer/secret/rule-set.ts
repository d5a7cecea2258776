import { SecretConfigError } from './config-error.ts';
import { KeywordIndex } from './keyword-index.ts';
import { defaultPathAllowance } from './path-allowlist.ts';
import type { ContentRule, FileRule } from './rule.ts';
import { builtinContentRules, builtinFileRules } from './rules/index.ts';
import { defaultMaxFileBytes, type CustomRuleSpec, type SecretScanConfig } from './scan-config.ts';

/** A content rule ready to run: its pattern with the flags the scanner needs (`g` to iterate, `d` for offsets). */
export interface CompiledContentRule {
  readonly rule: ContentRule;
  /** Position in the rule list: of two overlapping matches, the lower order wins. */
  readonly order: number;
  readonly search: RegExp;
}

/** One problem with a configuration: where (a path into the configuration object) and what. */
export interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const allowedFlags = /^[imsu]*$/;
const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function regexIssue(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    // The engine's message quotes the pattern, which may embed a value to allow: keep only the reason.
    const reason = error instanceof Error ? (error.message.split(': ').pop() ?? 'invalid') : 'invalid';
    return `is not a valid regular expression (${reason})`;
  }
}

/**
 * Checks what a schema cannot: regular expressions compile, custom patterns have a `secret` group,
 * keywords are lower-case ASCII, ids are unique and disabled ids exist. Messages name the field, never
 * the value (a pattern may embed a secret to allow).
 */
export function configIssues(config: SecretScanConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const builtinIds = new Set([...builtinContentRules, ...builtinFileRules].map((rule) => rule.id));
  const seen = new Set<string>();
  (config.customRules ?? []).forEach((rule, index) => {
    const at = (field: string): (string | number)[] => ['customRules', index, field];
    if (!kebab.test(rule.id)) issues.push({ path: at('id'), message: 'must be kebab-case (a-z, 0-9, -)' });
    else if (builtinIds.has(rule.id))
      issues.push({ path: at('id'), message: `"${rule.id}" is a built-in rule id; choose another` });
    else if (seen.has(rule.id)) issues.push({ path: at('id'), message: `"${rule.id}" is used twice` });
    seen.add(rule.id);
    const flags = rule.flags ?? '';
    if (!allowedFlags.test(flags))
      issues.push({ path: at('flags'), message: 'may only contain i, m, s and u' });
    const patternProblem = regexIssue(rule.pattern, allowedFlags.test(flags) ? flags : '');
    if (patternProblem !== undefined) issues.push({ path: at('pattern'), message: patternProblem });
    else if (!rule.pattern.includes('(?<secret>'))
      issues.push({
        path: at('pattern'),
        message: 'must contain a named group (?<secret>...) marking the secret',
      });
    if (rule.keywords.length === 0)
      issues.push({ path: at('keywords'), message: 'needs at least one keyword' });
    rule.keywords.forEach((keyword, k) => {
      if (keyword.length === 0 || keyword !== keyword.toLowerCase() || !/^[\x20-\x7e]+$/.test(keyword))
        issues.push({
          path: ['customRules', index, 'keywords', k],
          message: 'must be non-empty lower-case ASCII',
        });
    });
    if (rule.path !== undefined) {
      const problem = regexIssue(rule.path, '');
      if (problem !== undefined) issues.push({ path: at('path'), message: problem });
    }
  });
  (config.disabledRules ?? []).forEach((id, index) => {
    if (!builtinIds.has(id))
      issues.push({ path: ['disabledRules', index], message: `no built-in rule has the id "${id}"` });
  });
  (config.allowPaths ?? []).forEach((source, index) => {
    const problem = regexIssue(source, '');
    if (problem !== undefined) issues.push({ path: ['allowPaths', index], message: problem });
  });
  (config.allowValues ?? []).forEach((source, index) => {
    const problem = regexIssue(source, '');
    if (problem !== undefined) issues.push({ path: ['allowValues', index], message: problem });
  });
  if (
    config.maxFileBytes !== undefined &&
    !(Number.isSafeInteger(config.maxFileBytes) && config.maxFileBytes > 0)
  )
    issues.push({ path: ['maxFileBytes'], message: 'must be a positive whole number of bytes' });
  return issues;
}

export function formatIssuePath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

function customContentRule(spec: CustomRuleSpec): ContentRule {
  return {
    kind: 'content',
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    category: spec.category ?? 'generic',
    keywords: spec.keywords,
    pattern: new RegExp(spec.pattern, spec.flags ?? ''),
    formats: spec.formats ?? 'project rule',
    ...(spec.entropy === undefined ? {} : { entropy: spec.entropy }),
    ...(spec.path === undefined ? {} : { path: new RegExp(spec.path) }),
    ...(spec.spanLines === undefined ? {} : { spanLines: spec.spanLines }),
  };
}

/**
 * The rules of one configuration, compiled once and reused for every file: content rules share one
 * keyword automaton, and each runs on the lines around its keywords' hits (a rule bound to a path,
 * `*.properties`, only in matching files); the few rules that need a whole named file (`.pypirc`,
 * `.docker/config.json`) run on all of it when their keywords occur.
 */
export class SecretRuleSet {
  readonly config: SecretScanConfig;
  readonly maxFileBytes: number;
  /** Rules searched around the hits of the shared keyword index (in files their `path` matches). */
  readonly indexedRules: readonly CompiledContentRule[];
  /** Rules that need the whole file (`wholeFile`), of files their `path` matches. */
  readonly pathRules: readonly CompiledContentRule[];
  readonly fileRules: readonly FileRule[];
  readonly index: KeywordIndex;
  /** For each keyword of the index, the indexed rules (positions in `indexedRules`) it belongs to. */
  readonly rulesOfKeyword: readonly (readonly number[])[];
  private readonly allowPaths: readonly RegExp[];
  private readonly allowValues: readonly RegExp[];

  constructor(config: SecretScanConfig, source: string) {
    const issues = configIssues(config);
    if (issues.length > 0)
      throw new SecretConfigError(
        source,
        'invalid secret scan configuration',
        issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`),
      );
    this.config = config;
    this.maxFileBytes = config.maxFileBytes ?? defaultMaxFileBytes;
    const disabled = new Set(config.disabledRules ?? []);
    const rules = [...builtinContentRules, ...(config.customRules ?? []).map(customContentRule)].filter(
      (rule) => !disabled.has(rule.id),
    );
    const compiled = rules.map((rule, order) => ({
      rule,
      order,
      search: new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[^imsu]/g, '')}gd`),
    }));
    this.indexedRules = compiled.filter((entry) => entry.rule.wholeFile !== true);
    this.pathRules = compiled.filter((entry) => entry.rule.wholeFile === true);
    this.fileRules = builtinFileRules.filter((rule) => !disabled.has(rule.id));
    const keywords: string[] = [];
    const rulesOfKeyword: number[][] = [];
    const keywordIds = new Map<string, number>();
    this.indexedRules.forEach((entry, ruleIndex) => {
      for (const keyword of new Set(entry.rule.keywords)) {
        let id = keywordIds.get(keyword);
        if (id === undefined) {
          id = keywords.length;
          keywordIds.set(keyword, id);
          keywords.push(keyword);
          rulesOfKeyword.push([]);
        }
        rulesOfKeyword[id]?.push(ruleIndex);
      }
    });
    this.index = new KeywordIndex(keywords);
    this.rulesOfKeyword = rulesOfKeyword;
    this.allowPaths = (config.allowPaths ?? []).map((pattern) => new RegExp(pattern));
    this.allowValues = (config.allowValues ?? []).map((pattern) => new RegExp(pattern));
  }

  /** Rules applied: content rules (built-in and the project's) and file rules, less the disabled ones. */
  get ruleCount(): number {
    return this.indexedRules.length + this.pathRules.length + this.fileRules.length;
  }

  /** Whether a file is on the project's allowlist or (unless skipped) the default one. */
  isPathAllowed(path: string): boolean {
    if (this.allowPaths.some((pattern) => pattern.test(path))) return true;
    return this.config.skipDefaultAllowlist !== true && defaultPathAllowance(path) !== undefined;
  }

  /**
   * Which rules bound to paths apply at `path` (file rules by name, content rules bound to paths such
   * as `*.properties`, whole-file rules), as a key: two paths with the same key have the same rules
   * applied to their content, so the same content gives the same matches at both.
   */
  pathBoundRulesAt(path: string): string {
    const applying = (rules: readonly { readonly path?: RegExp | undefined }[]): string =>
      rules.flatMap((rule, index) => (rule.path?.test(path) === true ? [index] : [])).join(',');
    return [
      applying(this.fileRules),
      applying(this.indexedRules.map((entry) => entry.rule)),
      applying(this.pathRules.map((entry) => entry.rule)),
    ].join('|');
  }

  /** Whether the project allows this value. */
  isValueAllowed(secret: string): boolean {
    return this.allowValues.some((pattern) => pattern.test(secret));
  }
}

/** Compiles a configuration. @throws SecretConfigError naming each problem. */
export function compileSecretRules(config: SecretScanConfig = {}, source = 'options'): SecretRuleSet {
  return new SecretRuleSet(config, source);
}
