/**
 * Generates the published JSON Schema of `drydock image --format json`
 * (packages/engine/src/report/report.schema.json) from the `ScanReport` type itself, with the
 * TypeScript compiler's type checker, so the schema cannot drift from the code: a test regenerates
 * it and compares it with the committed file.
 *
 *   node --import tsx scripts/generate-report-schema.ts --write
 *
 * The mapping: interfaces become `$defs` entries with `additionalProperties: false`; a property is
 * required unless it is optional or may be `undefined` (JSON.stringify drops `undefined` values);
 * unions of literals become `enum`; `Record<string, T>` becomes `additionalProperties: T`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
export const reportSchemaPath = join(root, 'packages', 'engine', 'src', 'report', 'report.schema.json');
const resultFile = join(root, 'packages', 'engine', 'src', 'scan', 'result.ts');

type Schema = Readonly<Record<string, unknown>>;

class SchemaBuilder {
  private readonly definitions = new Map<string, Schema>();
  private readonly names = new Map<ts.Type, string>();

  private readonly checker: ts.TypeChecker;

  constructor(checker: ts.TypeChecker) {
    this.checker = checker;
  }

  get defs(): Record<string, Schema> {
    return Object.fromEntries([...this.definitions].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The schema of a type; named interfaces go to `$defs` and are referenced. */
  schemaOf(type: ts.Type): Schema {
    if (type.isUnion()) return this.unionSchema(type.types);
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isStringLiteral()) return { const: type.value };
    if (type.isNumberLiteral()) return { const: type.value };
    if (type.flags & ts.TypeFlags.BooleanLiteral)
      return { const: this.checker.typeToString(type) === 'true' };
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      if (element === undefined) throw new Error('array without an element type');
      return { type: 'array', items: this.schemaOf(element) };
    }
    if (type.flags & ts.TypeFlags.Object || type.isIntersection()) return this.objectSchema(type);
    throw new Error(`no JSON Schema for the type ${this.checker.typeToString(type)}`);
  }

  private unionSchema(members: readonly ts.Type[]): Schema {
    const defined = members.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    const literals = defined.filter(
      (member): member is ts.LiteralType => member.isStringLiteral() || member.isNumberLiteral(),
    );
    const booleans = defined.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const rest = defined.filter(
      (member) => !(member.isStringLiteral() || member.isNumberLiteral()) && !booleans.includes(member),
    );
    const parts: Schema[] = [];
    if (literals.length > 0) {
      const values = literals.map((member) => member.value as string | number);
      parts.push(values.length === 1 ? { const: values[0] } : { enum: values });
    }
    if (booleans.length === 2) parts.push({ type: 'boolean' });
    else if (booleans.length === 1 && booleans[0]) parts.push(this.schemaOf(booleans[0]));
    parts.push(...rest.map((member) => this.schemaOf(member)));
    if (parts.length === 1 && parts[0]) return parts[0];
    return { anyOf: parts };
  }

  private objectSchema(type: ts.Type): Schema {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const name = symbol?.getName();
    // Utility types of the standard library (Readonly, Record) are inlined, not named after.
    const fromLib =
      symbol?.declarations?.some((declaration) => declaration.getSourceFile().hasNoDefaultLib) ?? false;
    const named =
      name !== undefined && name !== '__type' && name !== '__object' && !fromLib && !type.isIntersection();
    if (!named) return this.inlineObject(type);
    const known = this.names.get(type);
    if (known !== undefined) return { $ref: `#/$defs/${known}` };
    let key = name;
    for (let suffix = 2; this.definitions.has(key); suffix++) key = `${name}${suffix}`;
    this.names.set(type, key);
    this.definitions.set(key, {});
    this.definitions.set(key, this.inlineObject(type));
    return { $ref: `#/$defs/${key}` };
  }

  private inlineObject(type: ts.Type): Schema {
    const [index] = this.checker.getIndexInfosOfType(type);
    const properties = this.checker.getPropertiesOfType(type);
    if (index !== undefined && properties.length === 0) {
      return { type: 'object', additionalProperties: this.schemaOf(index.type) };
    }
    const schemaProperties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of properties) {
      const declared = this.checker.getTypeOfSymbol(property);
      const mayBeAbsent =
        (property.flags & ts.SymbolFlags.Optional) !== 0 ||
        (declared.isUnion() && declared.types.some((member) => member.flags & ts.TypeFlags.Undefined));
      // A union drops its `undefined` member in unionSchema and keeps `null`.
      const base = this.schemaOf(declared);
      const description = ts.displayPartsToString(property.getDocumentationComment(this.checker)).trim();
      schemaProperties[property.getName()] = description
        ? { ...base, description: description.replace(/\s+/g, ' ') }
        : base;
      if (!mayBeAbsent) required.push(property.getName());
    }
    return {
      type: 'object',
      properties: schemaProperties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
  }
}

/** The JSON Schema (draft 2020-12) of the `ScanReport` type, as an object. */
export function generateReportSchema(): Schema {
  const program = ts.createProgram([resultFile], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(resultFile);
  if (source === undefined) throw new Error(`cannot read ${resultFile}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const reportSymbol =
    moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === 'ScanReport');
  if (reportSymbol === undefined) throw new Error('ScanReport is not exported from scan/result.ts');
  const builder = new SchemaBuilder(checker);
  const top = builder.schemaOf(checker.getDeclaredTypeOfSymbol(reportSymbol));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://drydock.dev/schemas/report-1.schema.json',
    title: 'Drydock scan report (drydock image --format json), schemaVersion 1',
    description:
      'Generated from the ScanReport type by scripts/generate-report-schema.ts; do not edit by hand.',
    ...top,
    $defs: builder.defs,
  };
}

/** The schema as the committed file holds it. */
export function reportSchemaText(): string {
  return `${JSON.stringify(generateReportSchema(), null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename && process.argv.includes('--write')) {
  writeFileSync(reportSchemaPath, reportSchemaText());
  process.stdout.write(`wrote ${reportSchemaPath}\n`);
}
