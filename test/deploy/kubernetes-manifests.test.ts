import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { nodeFlags } from '../../packages/cli/bin/node-flags.js';
import {
  byKind,
  containerPort,
  drydockImage,
  envValue,
  helpOf,
  imageConfig,
  listenAddress,
  loadManifests,
  manifestDir,
  onlyContainer,
  root,
  run,
  secretTemplateFile,
  sourceFiles,
  subcommandOf,
  workload,
  workloadsOf,
  yamlFiles,
  type Container,
  type ImageConfig,
  type Loaded,
  type Workload,
} from './kubernetes-manifests.ts';

/**
 * deploy/kubernetes and deploy/Dockerfile checked without a cluster: every manifest parses into
 * the fields Kubernetes reads, the commands, flags and environment variables are ones the real
 * `drydock` knows, and probes, Services, Secrets and ConfigMaps refer to each other correctly.
 * kubernetes-run.test.ts then runs the containers' commands.
 */

let loaded: Loaded[];
let workloads: Workload[];
let image: ImageConfig;
let drydockContainers: { readonly pod: Workload; readonly container: Container }[];

before(async () => {
  loaded = await loadManifests();
  workloads = workloadsOf(loaded);
  image = await imageConfig();
  drydockContainers = workloads.flatMap((pod) =>
    pod.template.spec.containers
      .filter((candidate) => candidate.image === drydockImage)
      .map((candidate) => ({ pod, container: candidate })),
  );
});

describe('the manifests', () => {
  test('every object parses, names itself and leaves the namespace to the one applying it', () => {
    assert.ok(loaded.length >= 9, `found ${loaded.length} objects`);
    const seen = new Set<string>();
    for (const { file, object } of loaded) {
      assert.equal(object.metadata.namespace, undefined, `${file}: ${object.kind} ${object.metadata.name}`);
      const key = `${object.kind}/${object.metadata.name}`;
      assert.ok(!seen.has(key), `${key} is defined once`);
      seen.add(key);
    }
    for (const kind of ['Deployment', 'StatefulSet', 'CronJob', 'Service', 'ConfigMap', 'Secret'] as const)
      assert.ok(byKind(loaded, kind).length > 0, `a ${kind}`);
    assert.deepEqual(drydockContainers.map(({ pod }) => pod.name).sort(), [
      'drydock-serve',
      'drydock-vulnerability-database-update',
      'drydock-worker',
    ]);
  });

  test('the kustomization lists every manifest but the Secret template, and renames the image', async () => {
    const parsed = z
      .object({
        resources: z.array(z.string()),
        images: z.array(z.object({ name: z.string(), newName: z.string(), newTag: z.string() })),
      })
      .parse(parseAllDocuments(await readFile(join(manifestDir, 'kustomization.yaml'), 'utf8'))[0]?.toJS());
    const expected = (await yamlFiles()).filter(
      (file) => file !== 'kustomization.yaml' && file !== secretTemplateFile,
    );
    assert.deepEqual([...parsed.resources].sort(), expected);
    assert.deepEqual(
      parsed.images.map((entry) => entry.name),
      [drydockImage],
    );
  });

  // kubectl comes with the test dependencies (scripts/debian-packages.sh); it needs no cluster for this.
  test('kubectl kustomize (offline) renders every listed object with the image renamed', async () => {
    const { stdout } = await run('kubectl', ['kustomize', manifestDir]);
    const rendered = parseAllDocuments(stdout).map((document) =>
      z
        .object({ kind: z.string(), metadata: z.object({ name: z.string() }) })
        .loose()
        .parse(document.toJS()),
    );
    const listed = loaded.filter(({ file }) => file !== secretTemplateFile);
    assert.deepEqual(
      rendered.map((object) => `${object.kind}/${object.metadata.name}`).sort(),
      listed.map(({ object }) => `${object.kind}/${object.metadata.name}`).sort(),
    );
    assert.doesNotMatch(
      stdout,
      new RegExp(`image: ${drydockImage}\\s*$`, 'm'),
      'every drydock image renamed',
    );
  });

  test('the Drydock containers run real drydock commands with flags the command has', async () => {
    const helps = await Promise.all(
      drydockContainers.map(async ({ pod, container: target }) => {
        assert.equal(target.command, undefined, `${pod.name} runs the image's entry point`);
        const args = target.args ?? image.cmd;
        const subcommand = subcommandOf(args);
        assert.ok(subcommand.length > 0, `${pod.name} names a drydock command`);
        return { pod, args, subcommand, help: await helpOf(subcommand) };
      }),
    );
    for (const { pod, args, subcommand, help } of helps) {
      assert.match(help, new RegExp(`^Usage: drydock ${subcommand.join(' ')} `, 'm'), pod.name);
      const unknown = args
        .filter((arg) => arg.startsWith('--'))
        .filter((flag) => !new RegExp(`^\\s+(?:-\\w, )?${flag}(?:\\s|$)`, 'm').test(help));
      assert.deepEqual(unknown, [], `${pod.name}: flags that drydock ${subcommand.join(' ')} --help lacks`);
    }
  });

  test('every environment variable set for Drydock is one the program reads', async () => {
    const names = new Set([
      ...Object.keys(image.env),
      ...drydockContainers.flatMap(({ container: target }) => (target.env ?? []).map((entry) => entry.name)),
    ]);
    const sources = (await Promise.all((await sourceFiles()).map((file) => readFile(file, 'utf8')))).join(
      '\n',
    );
    // Read as process.env['NAME'] or env['NAME']: a quoted occurrence, not only a mention in help text.
    const unread = [...names].filter((name) => !sources.includes(`'${name}'`)).sort();
    assert.deepEqual(unread, [], 'variables no source under packages/*/src reads');
    assert.ok(names.has('DATABASE_URL') && names.has('DRYDOCK_SECRET_KEY'));
  });

  test('probes ask /readyz and /healthz on the port each container listens on, on every interface', () => {
    for (const name of ['drydock-serve', 'drydock-worker']) {
      const target = onlyContainer(workload(workloads, name));
      const listen = listenAddress(target);
      assert.ok(
        ['0.0.0.0', '::', '[::]'].includes(listen.host),
        `${name} listens beyond loopback: ${listen.host}`,
      );
      const probes = [
        ['readinessProbe', '/readyz'],
        ['livenessProbe', '/healthz'],
        ['startupProbe', '/healthz'],
      ] as const;
      for (const [kind, path] of probes) {
        const declared = target[kind];
        assert.ok(declared?.httpGet, `${name} has an HTTP ${kind}`);
        assert.equal(declared.httpGet.path, path, `${name} ${kind}`);
        assert.equal(containerPort(target, declared.httpGet.port), listen.port, `${name} ${kind} port`);
      }
      assert.ok(
        target.ports?.some((entry) => entry.containerPort === listen.port),
        `${name} declares its port`,
      );
    }
    const postgres = onlyContainer(workload(workloads, 'drydock-postgres'));
    for (const declared of [postgres.readinessProbe, postgres.livenessProbe])
      assert.equal(declared?.exec?.command[0], 'pg_isready');
  });

  test('Services select exactly one workload’s pods and reach a port they declare', () => {
    for (const service of byKind(loaded, 'Service')) {
      const selected = workloads.filter((pod) =>
        Object.entries(service.spec.selector).every(
          ([key, value]) => pod.template.metadata.labels[key] === value,
        ),
      );
      assert.equal(
        selected.length,
        1,
        `Service ${service.metadata.name} selects ${selected.map((pod) => pod.name)}`,
      );
      const [pod] = selected;
      assert.ok(pod);
      const target = onlyContainer(pod);
      for (const entry of service.spec.ports)
        assert.ok(
          target.ports?.some(
            (declared) => declared.containerPort === containerPort(target, entry.targetPort),
          ),
          `Service ${service.metadata.name} port ${entry.port}`,
        );
    }
    for (const object of [...byKind(loaded, 'Deployment'), ...byKind(loaded, 'StatefulSet')])
      for (const [key, value] of Object.entries(object.spec.selector.matchLabels))
        assert.equal(
          object.spec.template.metadata.labels[key],
          value,
          `${object.metadata.name} selects its pods`,
        );
    for (const set of byKind(loaded, 'StatefulSet'))
      assert.ok(byKind(loaded, 'Service').some((service) => service.metadata.name === set.spec.serviceName));
    const serve = byKind(loaded, 'Deployment').find((object) => object.metadata.name === 'drydock-serve');
    const worker = byKind(loaded, 'Deployment').find((object) => object.metadata.name === 'drydock-worker');
    assert.ok(serve && serve.spec.replicas >= 2, 'serve runs more than one replica');
    assert.ok(worker && worker.spec.replicas >= 2, 'workers scale out');
  });

  test('every Secret, ConfigMap and claim a pod refers to exists with the keys it reads', () => {
    const secrets = new Map(
      byKind(loaded, 'Secret').map((secret) => [secret.metadata.name, secret.stringData]),
    );
    const configMaps = new Map(byKind(loaded, 'ConfigMap').map((map) => [map.metadata.name, map.data]));
    const claims = new Set(byKind(loaded, 'PersistentVolumeClaim').map((claim) => claim.metadata.name));
    const used = new Set<string>();
    for (const pod of workloads) {
      const volumes = new Map((pod.template.spec.volumes ?? []).map((entry) => [entry.name, entry]));
      const templates = new Set(
        loaded.flatMap(({ object }) =>
          object.kind === 'StatefulSet' && object.metadata.name === pod.name
            ? (object.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata.name)
            : [],
        ),
      );
      for (const target of pod.template.spec.containers) {
        for (const entry of target.env ?? []) {
          const secretRef = entry.valueFrom?.secretKeyRef;
          const configRef = entry.valueFrom?.configMapKeyRef;
          assert.equal(
            [entry.value, secretRef, configRef].filter((source) => source !== undefined).length,
            1,
            `${pod.name} ${entry.name} has one source`,
          );
          if (secretRef) {
            assert.ok(
              secrets.get(secretRef.name)?.[secretRef.key] !== undefined,
              `${pod.name}: ${secretRef.name}/${secretRef.key}`,
            );
            used.add(`Secret/${secretRef.name}/${secretRef.key}`);
          }
          if (configRef) {
            assert.ok(
              configMaps.get(configRef.name)?.[configRef.key] !== undefined,
              `${pod.name}: ${configRef.name}/${configRef.key}`,
            );
            used.add(`ConfigMap/${configRef.name}/${configRef.key}`);
          }
        }
        for (const mount of target.volumeMounts ?? []) {
          const source = volumes.get(mount.name);
          assert.ok(source || templates.has(mount.name), `${pod.name} mounts a volume named ${mount.name}`);
          const claim = source?.persistentVolumeClaim?.claimName;
          if (claim) assert.ok(claims.has(claim), `${pod.name}: the claim ${claim}`);
        }
      }
    }
    // Nothing in the template or ConfigMap that no pod reads (a setting that would silently do nothing).
    const offered = [
      ...[...secrets].flatMap(([name, data]) => Object.keys(data).map((key) => `Secret/${name}/${key}`)),
      ...[...configMaps].flatMap(([name, data]) =>
        Object.keys(data).map((key) => `ConfigMap/${name}/${key}`),
      ),
    ];
    assert.deepEqual(
      offered.filter((key) => !used.has(key)),
      [],
    );
  });

  test('the Secret template marks every value to replace, and its database URL names the bundled PostgreSQL', () => {
    const secrets = byKind(loaded, 'Secret');
    assert.ok(
      secrets.every((secret) => Object.values(secret.stringData).every((value) => value.includes('REPLACE'))),
    );
    const data = secrets.find((secret) => secret.metadata.name === 'drydock')?.stringData;
    assert.ok(data?.['DATABASE_URL'] && data['POSTGRES_PASSWORD']);
    const url = new URL(data['DATABASE_URL']);
    const postgres = onlyContainer(workload(workloads, 'drydock-postgres'));
    const service = byKind(loaded, 'Service').find((candidate) => candidate.metadata.name === url.hostname);
    assert.ok(service, `DATABASE_URL names the Service ${url.hostname}`);
    assert.ok(service.spec.ports.some((entry) => entry.port === Number(url.port)));
    assert.equal(url.username, envValue(postgres, 'POSTGRES_USER'));
    assert.equal(url.pathname, `/${envValue(postgres, 'POSTGRES_DB')}`);
    assert.equal(decodeURIComponent(url.password), data['POSTGRES_PASSWORD']);
  });

  test('pods run as a non-root user on a read-only root filesystem, with resource requests and limits', () => {
    for (const pod of workloads) {
      assert.equal(pod.template.spec.securityContext?.runAsNonRoot, true, pod.name);
      assert.equal(pod.template.spec.automountServiceAccountToken, false, pod.name);
      for (const target of pod.template.spec.containers) {
        assert.equal(target.securityContext?.allowPrivilegeEscalation, false, pod.name);
        assert.equal(target.securityContext?.readOnlyRootFilesystem, true, pod.name);
        assert.deepEqual(target.securityContext?.capabilities?.drop, ['ALL'], pod.name);
        assert.ok(
          target.resources?.requests?.['cpu'] && target.resources.requests['memory'],
          `${pod.name} requests`,
        );
        assert.ok(target.resources.limits?.['memory'], `${pod.name} memory limit`);
        // Everything a Drydock process writes is under a mounted volume: the temporary directory
        // and the data and cache directories the container points at (the image's defaults stay
        // unset for a command that does not use them, such as `db update` and the data directory).
        if (target.image !== drydockImage) continue;
        const mounts = (target.volumeMounts ?? []).map((mount) => mount.mountPath);
        assert.ok(mounts.includes('/tmp'), `${pod.name} mounts /tmp`);
        for (const variable of ['DRYDOCK_DATA_DIR', 'DRYDOCK_CACHE_DIR']) {
          const path = envValue(target, variable);
          if (path === undefined) continue;
          assert.ok(
            mounts.some((mount) => path.startsWith(mount)),
            `${pod.name} ${variable} is on a volume`,
          );
        }
      }
    }
    const worker = workload(workloads, 'drydock-worker');
    assert.ok(
      worker.template.spec.terminationGracePeriodSeconds !== undefined,
      'the worker sets its grace period',
    );
  });
});

describe('deploy/Dockerfile', () => {
  test('installs every workspace, copies the sources, builds the bundle and enters the CLI through its launcher', async () => {
    const { workspaces } = z
      .object({ workspaces: z.array(z.string()) })
      .parse(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')));
    for (const workspace of workspaces)
      assert.match(image.text, new RegExp(`^COPY ${workspace}/package\\.json `, 'm'), workspace);
    for (const source of [
      'packages/engine/src',
      'packages/server/src',
      'packages/cli/src',
      'packages/cli/bin',
    ])
      assert.match(image.text, new RegExp(`^COPY ${source} ${source}$`, 'm'), source);
    assert.match(image.text, /^RUN node scripts\/build-cli\.mjs$/m, 'the build stage builds the bundle');
    assert.match(image.text, /^COPY --from=build \/app\/packages\/cli\/dist packages\/cli\/dist$/m);
    const [node, ...flagsAndEntry] = image.entrypoint;
    const entry = flagsAndEntry.at(-1);
    assert.deepEqual(
      [node, flagsAndEntry.slice(0, -1)],
      ['node', nodeFlags],
      'node with the flags of node-flags.js',
    );
    assert.equal(entry, `${image.workdir}/packages/cli/bin/drydock.js`);
    await access(join(root, relative(image.workdir, entry ?? '')));
    assert.ok(
      (await readFile(join(root, 'package.json'), 'utf8')).includes(
        `"drydock": "node ${nodeFlags.join(' ')} packages/cli/bin/drydock.js"`,
      ),
      'npm run drydock starts the launcher as the image does',
    );
  });
});
