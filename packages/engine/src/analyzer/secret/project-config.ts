import { z } from 'zod';
import { lineOf, parseYamlDocument } from '../../util/yaml-document.ts';
import { SecretConfigError } from './config-error.ts';
import { globToRegExpSource } from './glob.ts';
import { secretCategories, secretSeverities } from './rule.ts';
import { configIssues, formatIssuePath } from './rule-set.ts';
import type { SecretScanConfig } from './scan-config.ts';

const text = z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' });

const ruleSchema = z.strictObject({
  id: text,
  title: text,
  severity: z.enum(secretSeverities, { error: `must be one of ${secretSeverities.join(', ')}` }),
  category: z.enum(secretCategories, { error: `must be one of ${secretCategories.join(', ')}` }).optional(),
  keywords: z.array(text, { error: 'must be a list of lower-case words' }),
  pattern: text,
  flags: z.string({ error: 'must be text' }).optional(),
  entropy: z.number({ error: 'must be a number' }).min(0).max(8).optional(),
  path: text.optional(),
  formats: text.optional(),
  spanLines: z.number({ error: 'must be a number' }).int().min(0).max(1000).optional(),
});

/** A path to allow: a glob (`**\/fixtures/**`, `*.pem`) or `{ regex: '...' }`. */
const allowedPathSchema = z.union([text, z.strictObject({ regex: text })], {
  error: 'must be a glob or { regex: ... }',
});

const fileSchema = z.strictObject({
  rules: z.array(ruleSchema, { error: 'must be a list of rules' }).optional(),
  disabledRules: z.array(text, { error: 'must be a list of rule ids' }).optional(),
  allowPaths: z.array(allowedPathSchema, { error: 'must be a list of globs or { regex: ... }' }).optional(),
  allowValues: z.array(text, { error: 'must be a list of regular expressions' }).optional(),
  skipDefaultAllowlist: z.boolean({ error: 'must be true or false' }).optional(),
  maxFileBytes: z.number({ error: 'must be a number of bytes' }).int().positive().optional(),
});

type ConfigFile = z.infer<typeof fileSchema>;

function toScanConfig(file: ConfigFile): SecretScanConfig {
  return {
    ...(file.rules === undefined ? {} : { customRules: file.rules }),
    ...(file.disabledRules === undefined ? {} : { disabledRules: file.disabledRules }),
    ...(file.allowPaths === undefined
      ? {}
      : {
          allowPaths: file.allowPaths.map((entry) =>
            typeof entry === 'string' ? globToRegExpSource(entry) : entry.regex,
          ),
        }),
    ...(file.allowValues === undefined ? {} : { allowValues: file.allowValues }),
    ...(file.skipDefaultAllowlist === undefined ? {} : { skipDefaultAllowlist: file.skipDefaultAllowlist }),
    ...(file.maxFileBytes === undefined ? {} : { maxFileBytes: file.maxFileBytes }),
  };
}

/**
 * Reads a project's secret configuration (YAML 1.2, https://yaml.org/spec/1.2.2/; format in
 * readme.md): its own rules, disabled built-in rules, allowed paths (globs or regular expressions)
 * and values, the default allowlist switch and the size cap. An empty document is the default
 * configuration. Unknown keys are errors, so a misspelt key does not silently do nothing.
 *
 * @throws SecretConfigError listing each problem with its line and field; values are not quoted.
 */
export function parseSecretConfig(content: string, source: string): SecretScanConfig {
  const yaml = parseYamlDocument(
    content,
    (cause) =>
      new SecretConfigError(source, `${source} is not valid YAML`, ['nested too deeply to read'], { cause }),
  );
  const { document, lines, value } = yaml;

  if (document.errors.length > 0) {
    const issues = document.errors.map(
      (error) =>
        `line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0] ?? 'invalid YAML'}`,
    );
    throw new SecretConfigError(source, `${source} is not valid YAML`, issues);
  }
  if (value === null || value === undefined) return {};
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) =>
        `${lineOf(yaml, issue.path) ?? 'line 1'}, ${formatIssuePath(issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))) || 'the document'}: ${issue.message}`,
    );
    throw new SecretConfigError(source, `${source} has invalid entries`, issues);
  }
  const config = toScanConfig(parsed.data);
  const semantic = configIssues(config);
  if (semantic.length > 0) {
    const issues = semantic.map((issue) => {
      // The configuration names its list of rules `customRules`; the file calls it `rules`.
      const filePath = issue.path.map((part, i) => (i === 0 && part === 'customRules' ? 'rules' : part));
      return `${lineOf(yaml, filePath) ?? 'line 1'}, ${formatIssuePath(filePath)}: ${issue.message}`;
    });
    throw new SecretConfigError(source, `${source} has invalid entries`, issues);
  }
  return config;
}
