/**
 * Builds a small demo image into an OCI layout (for `scripts/start.sh` with no arguments): a base
 * layer with this machine's os-release and a few real binaries, an application layer, and a layer
 * that deletes a file, so the report shows layers, OS, files and whiteouts.
 *
 *   node --import tsx scripts/images/demo-image.ts LAYOUT_DIR      → tag `demo`
 */
import { readFile } from 'node:fs/promises';
import { writeOciImage, type FileSpec } from '../../test/harness/oci-builder.ts';

const layout = process.argv[2];
if (!layout) {
  process.stderr.write('usage: demo-image.ts LAYOUT_DIR\n');
  process.exit(2);
}

async function hostFile(path: string, imagePath = path, mode = 0o644): Promise<FileSpec[]> {
  try {
    return [{ path: imagePath, content: await readFile(path), mode }];
  } catch {
    return [];
  }
}

const base: FileSpec[] = [
  ...(await hostFile('/usr/lib/os-release')),
  { path: 'etc/os-release', type: 'symlink', linkTarget: '../usr/lib/os-release' },
  ...(await hostFile('/etc/debian_version')),
  ...(await hostFile('/bin/ls', 'usr/bin/ls', 0o755)),
  ...(await hostFile('/bin/su', 'usr/bin/su', 0o4755)),
  { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];
const app: FileSpec[] = [
  { path: 'app/server.js', content: "require('http').createServer((q, s) => s.end('ok')).listen(8080);\n" },
  { path: 'app/config.yaml', content: 'listen: 8080\nlog: info\n', mode: 0o666 },
  // A made-up deploy token left in the image, and the EICAR anti-virus test file: what the secret
  // and malware checks exist to find.
  { path: 'app/.env', content: 'GITHUB_TOKEN=ghp_Zq3vX8bK1mN7pR2sT5wY9cF4hJ6dL0aEgH2k\n' },
  {
    path: 'app/cache/eicar.com',
    content: String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`,
  },
  { path: 'app/cache/big.bin', content: Buffer.alloc(2 * 1024 * 1024, 7) },
  // An old markdown library with known advisories, so the report has vulnerabilities to show.
  {
    path: 'app/node_modules/marked/package.json',
    content: JSON.stringify({ name: 'marked', version: '0.3.5', license: 'MIT' }),
  },
];
const cleanup: FileSpec[] = [{ path: 'app/cache/.wh.big.bin', content: '' }];

const descriptor = await writeOciImage(layout, 'demo', {
  config: {
    user: 'app',
    cmd: ['node', '/app/server.js'],
    exposedPorts: ['8080/tcp'],
    env: ['PATH=/usr/bin:/bin', 'API_TOKEN=demo-not-a-secret'],
  },
  layers: [
    { files: base, compression: 'gzip', createdBy: 'ADD rootfs.tar.gz / # demo base' },
    { files: app, compression: 'zstd', createdBy: 'COPY app/ /app/' },
    { files: cleanup, compression: 'none', createdBy: 'RUN rm /app/cache/big.bin' },
  ],
});
process.stderr.write(`demo image written to ${layout} (tag demo, ${descriptor.digest})\n`);
