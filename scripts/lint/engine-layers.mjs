// The engine's layers in import order. A module may import its own layer, the layers before it,
// and the leaves; never a later layer. One ESLint override per layer forbids the later ones.
// One exception, for types only: the walker (layer) dispatches to analyzers, so it may import the
// analyzer contract's types (Analyzer, Fact, LayerRef) but no analyzer code.
const typeOnlyAllowed = { layer: ['analyzer'] };
const order = ['util', 'image', 'layer', 'analyzer', 'inventory', ['match', 'check'], 'scan', 'report'];
const leaves = ['versioning', 'vulndb'];

export function engineImportRules() {
  const flat = order.map((step) => (Array.isArray(step) ? step : [step]));
  const configs = [];
  flat.forEach((group, i) => {
    const later = flat.slice(i + 1).flat();
    for (const layer of group) {
      const forbidden = [...later, ...group.filter((g) => g !== layer)];
      if (forbidden.length === 0) continue;
      configs.push({
        files: [`packages/engine/src/${layer}/**/*.ts`],
        rules: {
          'no-restricted-imports': 'off',
          '@typescript-eslint/no-restricted-imports': [
            'error',
            {
              patterns: forbidden.map((name) => ({
                group: [`**/${name}/**`, `../${name}`, `../../${name}`, `../${name}/*`],
                message: `engine/${layer} must not import engine/${name}: imports flow image → layer → analyzer → inventory → match/check → scan → report.`,
                ...((typeOnlyAllowed[layer] ?? []).includes(name) ? { allowTypeImports: true } : {}),
              })),
            },
          ],
        },
      });
    }
  });
  // Leaves import nothing else of the engine but each other's utilities.
  for (const leaf of leaves) {
    configs.push({
      files: [`packages/engine/src/${leaf}/**/*.ts`],
      rules: {
        'no-restricted-imports': 'off',
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: flat
              .flat()
              .filter((n) => n !== 'util')
              .map((name) => ({
                group: [`**/${name}/**`, `../${name}`, `../../${name}`],
                message: `engine/${leaf} is a leaf: it must not import engine/${name}.`,
              })),
          },
        ],
      },
    });
  }
  return configs;
}
