import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYamlDocument } from './yaml-document.ts';
import { maxYamlFlowNesting, yamlNestingProblem } from './yaml-nesting.ts';

const tooDeep = '{"a":'.repeat(maxYamlFlowNesting + 1);

describe('yamlNestingProblem', () => {
  it('accepts nesting up to the limit and closed collections however many, refuses one level more', () => {
    assert.equal(yamlNestingProblem('[{a: 1}, {b: [2, 3]}]\n'.repeat(10_000)), undefined);
    assert.equal(yamlNestingProblem('['.repeat(maxYamlFlowNesting)), undefined);
    assert.equal(
      yamlNestingProblem('['.repeat(maxYamlFlowNesting + 1)),
      `collections nested deeper than ${maxYamlFlowNesting} levels`,
    );
    assert.equal(yamlNestingProblem(`${'[]'.repeat(5000)}${'{'.repeat(10)}`, 10), undefined);
    assert.equal(
      yamlNestingProblem(`${']'.repeat(5000)}${'{'.repeat(11)}`, 10),
      'collections nested deeper than 10 levels',
    );
  });

  it('makes the project files reader refuse a deeply nested text with its own typed error', () => {
    assert.throws(
      () => parseYamlDocument(tooDeep, (cause) => new RangeError('too deep', { cause })),
      (error: unknown) =>
        error instanceof RangeError && String((error.cause as Error).message).includes('nested deeper'),
    );
  });
});
