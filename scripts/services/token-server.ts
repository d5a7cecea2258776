/**
 * A small token server for registry Bearer authentication, for tests and benches only
 * (distribution token auth: https://distribution.github.io/distribution/spec/auth/token/ and
 * https://distribution.github.io/distribution/spec/auth/jwt/). It issues RS256 JWTs carrying the
 * signing certificate in the `x5c` header, which `docker-registry` checks against its
 * `auth.token.rootcertbundle`. Configured users get the actions they ask for (or those their entry
 * allows); anonymous callers get `pull` only; wrong passwords get 401. `/stats` counts requests.
 *
 * In-process: `startTokenServer(config)`. As a program:
 *   node --import tsx scripts/services/token-server.ts --key KEY.pem --cert CERT.pem --users USERS.json
 *     [--port 0] [--issuer drydock-test-issuer] [--service drydock-test-registry] [--expires-in 300] [--port-file FILE]
 * USERS.json: {"users":[{"username":"alice","password":"s3cret","actions":["pull","push","delete","*"]}]}
 * Passwords in that file are for throwaway test registries; the server never logs them.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, timingSafeEqual, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export interface TokenUser {
  readonly username: string;
  readonly password: string;
  /** Actions this user may be granted; all requested actions when absent. */
  readonly actions?: readonly string[];
}

export interface TokenServerConfig {
  readonly keyPem: string;
  readonly certPem: string;
  readonly users: readonly TokenUser[];
  readonly issuer?: string;
  readonly service?: string;
  readonly expiresInSeconds?: number;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface TokenServerStats {
  /** Every request to /token. */
  readonly tokenRequests: number;
  readonly issued: number;
  readonly denied: number;
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The realm to configure in the registry: `${url}/token`. */
  readonly realm: string;
  readonly issuer: string;
  readonly service: string;
  stats(): TokenServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

export const defaultIssuer = 'drydock-test-issuer';
export const defaultService = 'drydock-test-registry';

interface AccessEntry {
  readonly type: string;
  readonly name: string;
  readonly actions: string[];
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Parses `type:name:actions` scopes (the name may contain colons, e.g. a port). */
function parseScopes(values: readonly string[]): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const scope of values.flatMap((value) => value.split(' ')).filter(Boolean)) {
    const parts = scope.split(':');
    if (parts.length < 3) continue;
    const type = parts[0] ?? '';
    const actions = (parts[parts.length - 1] ?? '').split(',').filter(Boolean);
    entries.push({ type, name: parts.slice(1, -1).join(':'), actions });
  }
  return entries;
}

function equalSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The user a Basic header names, `null` for anonymous, `undefined` for wrong credentials. */
function authenticate(header: string | undefined, users: readonly TokenUser[]): TokenUser | null | undefined {
  if (header === undefined || header === '') return null;
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return users.find((user) => user.username === username && equalSecret(user.password, password));
}

export async function startTokenServer(config: TokenServerConfig): Promise<TokenServer> {
  const key = createPrivateKey(config.keyPem);
  const certDer = new X509Certificate(config.certPem).raw;
  const issuer = config.issuer ?? defaultIssuer;
  const service = config.service ?? defaultService;
  const expiresIn = config.expiresInSeconds ?? 300;
  let stats = { tokenRequests: 0, issued: 0, denied: 0 };

  const signJwt = (claims: Record<string, unknown>): string => {
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${base64url(sign('RSA-SHA256', Buffer.from(input), key))}`;
  };

  const json = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://token.invalid');
    if (url.pathname === '/stats') return json(response, 200, stats);
    if (url.pathname === '/healthz') return json(response, 200, { ok: true });
    if (url.pathname !== '/token' || request.method !== 'GET')
      return json(response, 404, { error: 'not_found' });
    stats = { ...stats, tokenRequests: stats.tokenRequests + 1 };
    const user = authenticate(request.headers.authorization, config.users);
    if (user === undefined) {
      stats = { ...stats, denied: stats.denied + 1 };
      response.setHeader('www-authenticate', 'Basic realm="drydock-test-token"');
      return json(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] });
    }
    const allowed = (action: string): boolean =>
      user === null ? action === 'pull' : (user.actions ?? [action]).includes(action);
    const access = parseScopes(url.searchParams.getAll('scope')).map((entry) => ({
      ...entry,
      actions: entry.actions.filter(allowed),
    }));
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({
      iss: issuer,
      sub: user?.username ?? '',
      aud: url.searchParams.get('service') ?? service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    });
    stats = { ...stats, issued: stats.issued + 1 };
    return json(response, 200, {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: new Date(now * 1000).toISOString(),
    });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    realm: `${url}/token`,
    issuer,
    service,
    stats: () => stats,
    resetStats: () => {
      stats = { tokenRequests: 0, issued: 0, denied: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Makes an RSA key and a self-signed certificate with `openssl req -x509` in `directory`. */
export async function generateTokenCertificate(
  directory: string,
): Promise<{ keyFile: string; certFile: string; keyPem: string; certPem: string }> {
  const keyFile = join(directory, 'token.key');
  const certFile = join(directory, 'token.crt');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '3650',
    '-subj',
    '/CN=drydock-test-token-issuer',
  ]);
  return {
    keyFile,
    certFile,
    keyPem: await readFile(keyFile, 'utf8'),
    certPem: await readFile(certFile, 'utf8'),
  };
}

function argument(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? undefined : args[index + 1];
}

async function main(args: readonly string[]): Promise<void> {
  const keyFile = argument(args, 'key');
  const certFile = argument(args, 'cert');
  const usersFile = argument(args, 'users');
  if (!keyFile || !certFile) {
    process.stderr.write(
      'usage: token-server.ts --key KEY --cert CERT [--users USERS.json] [--port N] [--issuer I] [--service S] [--expires-in SEC] [--port-file FILE]\n',
    );
    process.exit(2);
  }
  const users = usersFile
    ? ((JSON.parse(await readFile(usersFile, 'utf8')) as { users?: TokenUser[] }).users ?? [])
    : [];
  const issuer = argument(args, 'issuer');
  const service = argument(args, 'service');
  const expires = argument(args, 'expires-in');
  const server = await startTokenServer({
    keyPem: await readFile(keyFile, 'utf8'),
    certPem: await readFile(certFile, 'utf8'),
    users,
    port: Number(argument(args, 'port') ?? 0),
    ...(issuer ? { issuer } : {}),
    ...(service ? { service } : {}),
    ...(expires ? { expiresInSeconds: Number(expires) } : {}),
  });
  const portFile = argument(args, 'port-file');
  if (portFile) await writeFile(portFile, `${new URL(server.url).port}\n`);
  process.stdout.write(`token server listening on ${server.url} (users: ${users.length})\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
