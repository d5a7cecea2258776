/** The import-direction rule of the engine (DESIGN.md section 2) fires where it must, and only there. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? [])
    .filter(
      (message) =>
        message.ruleId === 'no-restricted-imports' ||
        message.ruleId === '@typescript-eslint/no-restricted-imports',
    )
    .map((message) => message.message);
}

describe('engine import direction', () => {
  it('forbids a layer from importing a later one', async () => {
    const messages = await restrictedImports(
      'packages/engine/src/image/x.ts',
      "import { scanSource } from '../scan/scan-source.ts';\nexport const x = scanSource;\n",
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /engine\/image must not import engine\/scan/);
    assert.equal(
      (
        await restrictedImports(
          'packages/engine/src/layer/x.ts',
          "import { osReleaseAnalyzer } from '../analyzer/os-release/analyzer.ts';\nexport const x = osReleaseAnalyzer;\n",
        )
      ).length,
      1,
    );
  });

  it('lets the walker import the analyzer contract as types only', async () => {
    assert.deepEqual(
      await restrictedImports(
        'packages/engine/src/layer/x.ts',
        "import type { Fact } from '../analyzer/fact.ts';\nexport type X = Fact;\n",
      ),
      [],
    );
  });

  it('allows earlier layers and shared utilities', async () => {
    assert.deepEqual(
      await restrictedImports(
        'packages/engine/src/scan/x.ts',
        "import { walkLayer } from '../layer/walk-layer.ts';\nexport const x = walkLayer;\n",
      ),
      [],
    );
    assert.deepEqual(
      await restrictedImports(
        'packages/engine/src/layer/x.ts',
        "import { DrydockError } from '../util/errors.ts';\nexport const x = DrydockError;\n",
      ),
      [],
    );
  });

  it('keeps the CLI and server on the engine public index', async () => {
    const messages = await restrictedImports(
      'packages/cli/src/x.ts',
      "import { walkLayer } from '../../engine/src/layer/walk-layer.ts';\nexport const x = walkLayer;\n",
    );
    assert.equal(messages.length, 1);
    assert.deepEqual(
      await restrictedImports(
        'packages/cli/src/x.ts',
        "import { scanSource } from '@drydock/engine';\nexport const x = scanSource;\n",
      ),
      [],
    );
  });
});
