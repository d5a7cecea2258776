import { redactEnvEntry, redactInstruction, redactLabels } from '../analyzer/secret/image-config.ts';
import { compileSecretRules, type SecretRuleSet } from '../analyzer/secret/rule-set.ts';
import { maskEnvironment } from './mask-env.ts';

let builtinRules: SecretRuleSet | undefined;

/** The built-in secret rules, compiled once per process (for scans that do not search secrets). */
export function defaultSecretRules(): SecretRuleSet {
  return (builtinRules ??= compileSecretRules());
}

/**
 * The image configuration as reports show it: secrets in ENV, labels and build instructions
 * masked with the scan's secret rules, or the built-in ones when secrets were not scanned (a
 * listing must not print what a finding would have masked). Variables named like credentials are
 * masked whatever their value.
 */
export class ConfigRedactor {
  readonly #rules: SecretRuleSet;
  readonly #instructions = new Map<string, string>();

  constructor(rules?: SecretRuleSet) {
    this.#rules = rules ?? defaultSecretRules();
  }

  env(env: readonly string[]): string[] {
    return env.map((entry) => {
      const redacted = redactEnvEntry(this.#rules, entry);
      return redacted === entry ? (maskEnvironment([entry])[0] ?? entry) : redacted;
    });
  }

  labels(labels: Readonly<Record<string, string>>): Record<string, string> {
    return redactLabels(this.#rules, labels);
  }

  instruction(instruction: string | undefined): string | undefined {
    if (instruction === undefined) return undefined;
    let redacted = this.#instructions.get(instruction);
    if (redacted === undefined) {
      redacted = redactInstruction(this.#rules, instruction);
      this.#instructions.set(instruction, redacted);
    }
    return redacted;
  }
}
