import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * deploy/kubernetes and deploy/Dockerfile read the way Kubernetes and the image builder read
 * them, for the deployment tests: the manifests parsed into the fields Kubernetes uses, the
 * Dockerfile's final stage, and lookups over both. The loaders assert (a manifest that does not
 * parse fails the test that loads it) rather than returning errors.
 */

/** `execFile` as a promise: for the CLI and for kubectl. */
export const run = promisify(execFile);
/** The repository: the image's WORKDIR stands for it. */
export const root = join(import.meta.dirname, '..', '..');
export const manifestDir = join(root, 'deploy', 'kubernetes');
export const dockerfilePath = join(root, 'deploy', 'Dockerfile');
/** Not applied by the kustomization on purpose: it holds placeholders for the real Secrets. */
export const secretTemplateFile = 'secret-template.yaml';
/** What every Drydock container runs; the kustomization's `images` points it at a registry. */
export const drydockImage = 'drydock';

// The subset of the Kubernetes API the manifests use. Containers and probes are strict, so a
// misspelt field (which Kubernetes would drop with a warning) fails here.
const labels = z.record(z.string(), z.string());
const keyRef = z.strictObject({ name: z.string(), key: z.string(), optional: z.boolean().optional() });
const envVar = z.strictObject({
  name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  value: z.string().optional(),
  valueFrom: z
    .strictObject({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() })
    .optional(),
});
const port = z.union([z.string(), z.number().int()]);
const probe = z.strictObject({
  httpGet: z.strictObject({ path: z.string(), port }).optional(),
  exec: z.strictObject({ command: z.array(z.string()).min(1) }).optional(),
  initialDelaySeconds: z.number().int().optional(),
  periodSeconds: z.number().int().optional(),
  timeoutSeconds: z.number().int().optional(),
  failureThreshold: z.number().int().optional(),
  successThreshold: z.number().int().optional(),
});
const quantities = z.record(z.string(), z.union([z.string(), z.number()]));
const container = z.strictObject({
  name: z.string(),
  image: z.string(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVar).optional(),
  ports: z.array(z.strictObject({ name: z.string().optional(), containerPort: z.number().int() })).optional(),
  readinessProbe: probe.optional(),
  livenessProbe: probe.optional(),
  startupProbe: probe.optional(),
  resources: z.strictObject({ requests: quantities.optional(), limits: quantities.optional() }).optional(),
  securityContext: z
    .strictObject({
      allowPrivilegeEscalation: z.boolean().optional(),
      readOnlyRootFilesystem: z.boolean().optional(),
      capabilities: z.strictObject({ drop: z.array(z.string()).optional() }).optional(),
    })
    .optional(),
  volumeMounts: z
    .array(z.strictObject({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() }))
    .optional(),
});
export type Container = z.infer<typeof container>;
export type Probe = z.infer<typeof probe>;
const volume = z.strictObject({
  name: z.string(),
  emptyDir: z.strictObject({ sizeLimit: z.string().optional() }).optional(),
  persistentVolumeClaim: z
    .strictObject({ claimName: z.string(), readOnly: z.boolean().optional() })
    .optional(),
});
const podTemplate = z.object({
  metadata: z.object({ labels }),
  spec: z.object({
    containers: z.array(container).min(1),
    volumes: z.array(volume).optional(),
    restartPolicy: z.string().optional(),
    terminationGracePeriodSeconds: z.number().int().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    securityContext: z
      .object({ runAsNonRoot: z.boolean().optional(), runAsUser: z.number().int().optional() })
      .optional(),
  }),
});
export type PodTemplate = z.infer<typeof podTemplate>;
const metadata = z.object({
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: labels.optional(),
});
export const manifestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('Deployment'),
    apiVersion: z.literal('apps/v1'),
    metadata,
    spec: z.object({
      replicas: z.number().int(),
      selector: z.object({ matchLabels: labels }),
      template: podTemplate,
    }),
  }),
  z.object({
    kind: z.literal('StatefulSet'),
    apiVersion: z.literal('apps/v1'),
    metadata,
    spec: z.object({
      serviceName: z.string(),
      replicas: z.number().int(),
      selector: z.object({ matchLabels: labels }),
      template: podTemplate,
      volumeClaimTemplates: z.array(z.object({ metadata: z.object({ name: z.string() }) })).optional(),
    }),
  }),
  z.object({
    kind: z.literal('CronJob'),
    apiVersion: z.literal('batch/v1'),
    metadata,
    spec: z.object({
      schedule: z.string(),
      jobTemplate: z.object({ spec: z.object({ template: podTemplate }) }),
    }),
  }),
  z.object({
    kind: z.literal('Service'),
    apiVersion: z.literal('v1'),
    metadata,
    spec: z.object({
      selector: labels,
      ports: z
        .array(z.object({ name: z.string().optional(), port: z.number().int(), targetPort: port }))
        .min(1),
    }),
  }),
  z.object({ kind: z.literal('ConfigMap'), apiVersion: z.literal('v1'), metadata, data: labels }),
  z.object({
    kind: z.literal('Secret'),
    apiVersion: z.literal('v1'),
    metadata,
    type: z.literal('Opaque'),
    stringData: labels,
  }),
  z.object({
    kind: z.literal('PersistentVolumeClaim'),
    apiVersion: z.literal('v1'),
    metadata,
    spec: z.object({ accessModes: z.array(z.string()).min(1) }),
  }),
]);
export type Manifest = z.infer<typeof manifestSchema>;

/** One object of a manifest file, with the file it came from (for messages). */
export interface Loaded {
  readonly file: string;
  readonly object: Manifest;
}

/** A workload's pods: what runs, with which labels. */
export interface Workload {
  readonly file: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'CronJob';
  readonly name: string;
  readonly template: PodTemplate;
}

/** The YAML files of deploy/kubernetes, sorted, the kustomization included. */
export async function yamlFiles(): Promise<string[]> {
  return (await readdir(manifestDir)).filter((name) => /\.ya?ml$/.test(name)).sort();
}

/** Every object of every manifest file except the kustomization itself. */
export async function loadManifests(): Promise<Loaded[]> {
  const loaded: Loaded[] = [];
  for (const file of await yamlFiles()) {
    if (file === 'kustomization.yaml') continue;
    const documents = parseAllDocuments(await readFile(join(manifestDir, file), 'utf8'));
    assert.ok(Array.isArray(documents), `${file} is a YAML stream`);
    for (const document of documents) {
      assert.deepEqual(document.errors, [], `${file}: ${document.errors.join('; ')}`);
      assert.deepEqual(document.warnings, [], `${file}: ${document.warnings.join('; ')}`);
      const raw: unknown = document.toJS();
      if (raw === null) continue;
      const parsed = manifestSchema.safeParse(raw);
      assert.ok(parsed.success, `${file}: ${parsed.success ? '' : z.prettifyError(parsed.error)}`);
      loaded.push({ file, object: parsed.data });
    }
  }
  return loaded;
}

/** The objects that run pods (Deployments, StatefulSets, CronJobs) as their pod templates. */
export function workloadsOf(loaded: readonly Loaded[]): Workload[] {
  return loaded.flatMap(({ file, object }): Workload[] => {
    switch (object.kind) {
      case 'Deployment':
      case 'StatefulSet':
        return [{ file, kind: object.kind, name: object.metadata.name, template: object.spec.template }];
      case 'CronJob':
        return [
          {
            file,
            kind: object.kind,
            name: object.metadata.name,
            template: object.spec.jobTemplate.spec.template,
          },
        ];
      default:
        return [];
    }
  });
}

/** The objects of one kind, typed as that kind. */
export function byKind<K extends Manifest['kind']>(
  loaded: readonly Loaded[],
  kind: K,
): Extract<Manifest, { kind: K }>[] {
  const ofKind = (object: Manifest): object is Extract<Manifest, { kind: K }> => object.kind === kind;
  return loaded.map(({ object }) => object).filter(ofKind);
}

/** The workload named `name`; fails the test when there is none. */
export function workload(workloads: readonly Workload[], name: string): Workload {
  const found = workloads.find((candidate) => candidate.name === name);
  assert.ok(found, `a workload named ${name}`);
  return found;
}

/** The pod's container; fails the test unless there is exactly one. */
export function onlyContainer(pod: Workload): Container {
  assert.equal(pod.template.spec.containers.length, 1, `${pod.name} runs one container`);
  const [first] = pod.template.spec.containers;
  assert.ok(first);
  return first;
}

/** The value a flag takes in `args` (`--flag value`), or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}

/** A literal `value` the container sets for `name`; undefined when unset or taken from a Secret or ConfigMap. */
export function envValue(target: Container, name: string): string | undefined {
  return target.env?.find((entry) => entry.name === name)?.value;
}

/** The address a Drydock container listens on for its probes: serve's API or worker's health port. */
export function listenAddress(target: Container): {
  readonly host: string;
  readonly port: number;
  readonly via: string;
} {
  const args = target.args ?? [];
  const [subcommand] = args;
  const [flag, variable] =
    subcommand === 'serve' ? ['--listen', 'DRYDOCK_LISTEN'] : ['--health-listen', 'DRYDOCK_HEALTH_LISTEN'];
  const text = flagValue(args, flag) ?? envValue(target, variable);
  assert.ok(text, `${target.name} sets ${flag} or ${variable}`);
  const match = /^(.+):(\d+)$/.exec(text);
  assert.ok(match?.[1] && match[2], `${text} is host:port`);
  return {
    host: match[1],
    port: Number(match[2]),
    via: flagValue(args, flag) !== undefined ? flag : variable,
  };
}

/** A probe's or Service's port (a number, or the name of one of the container's ports) as a number. */
export function containerPort(target: Container, value: string | number): number {
  if (typeof value === 'number') return value;
  const named = target.ports?.find((entry) => entry.name === value);
  assert.ok(named, `${target.name} has a port named ${value}`);
  return named.containerPort;
}

/** The final stage of deploy/Dockerfile as the manifests' containers inherit it. */
export interface ImageConfig {
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly text: string;
}

/** Reads the final stage of deploy/Dockerfile: WORKDIR, ENV, ENTRYPOINT and CMD (exec form only). */
export async function imageConfig(): Promise<ImageConfig> {
  const text = await readFile(dockerfilePath, 'utf8');
  // Instructions with their continuation lines joined, comments dropped.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  const final = instructions.slice(lastFrom);
  let workdir = '/';
  const env: Record<string, string> = {};
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  const execForm = (rest: string): string[] => {
    const parsed = z.array(z.string()).safeParse(JSON.parse(rest));
    assert.ok(parsed.success, `exec form (a JSON array): ${rest}`);
    return parsed.data;
  };
  for (const line of final) {
    const [, instruction = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction.toUpperCase()) {
      case 'WORKDIR':
        workdir = rest;
        break;
      case 'ENV':
        for (const pair of rest.split(/\s+/)) {
          const [name, ...value] = pair.split('=');
          assert.ok(name && value.length > 0, `ENV ${pair} is NAME=value`);
          env[name] = value.join('=');
        }
        break;
      case 'ENTRYPOINT':
        entrypoint = execForm(rest);
        break;
      case 'CMD':
        cmd = execForm(rest);
        break;
    }
  }
  return { workdir, env, entrypoint, cmd, text };
}

/** `drydock SUBCOMMAND... --help` through the real CLI. */
export async function helpOf(subcommand: readonly string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages', 'cli', 'src', 'main.ts'), ...subcommand, '--help'],
    { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
  );
  return stdout;
}

/** The leading words of `args` that name the command (`db update`), before the first flag. */
export function subcommandOf(args: readonly string[]): string[] {
  const end = args.findIndex((arg) => arg.startsWith('-'));
  return [...args.slice(0, end === -1 ? args.length : end)];
}

/** Non-test sources under the directories the `drydock` command runs from (the launcher's JavaScript too). */
export async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['packages/cli/src', 'packages/cli/bin', 'packages/server/src', 'packages/engine/src']) {
    for (const entry of await readdir(join(root, dir), { recursive: true, withFileTypes: true })) {
      const source = entry.name.endsWith('.ts') || (dir.endsWith('/bin') && entry.name.endsWith('.js'));
      if (entry.isFile() && source && !entry.name.endsWith('.test.ts'))
        files.push(join(entry.parentPath, entry.name));
    }
  }
  return files;
}
