import { readFile } from 'node:fs/promises';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { RemoteError } from './remote-error.ts';

/** The options that send a service command to a running service instead of a local database. */
export interface ServerOptions {
  /** The service's base URL (or DRYDOCK_SERVER); `/api/v1` is added. */
  readonly server?: string;
  /** An API token (or DRYDOCK_TOKEN); `--token-file` keeps it out of the process list. */
  readonly token?: string;
  readonly tokenFile?: string;
  /** Allows the token over plain HTTP to a host that is not this machine. */
  readonly insecure?: boolean;
}

/** Where the API is and the token that opens it. */
export interface ServerConnection {
  /** `scheme://host[:port][/path]` without a trailing slash or `/api/v1`: safe to print. */
  readonly baseUrl: string;
  readonly token: string;
}

function optionsError(message: string): RemoteError {
  return new RemoteError('server_options', message);
}

const loopbackV6 = new BlockList();
loopbackV6.addAddress('::1', 'ipv6');
loopbackV6.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `hostname` (as URL parsing gives it) names this machine, so no traffic leaves it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return loopbackV6.check(host, 'ipv6');
  return false;
}

/** The server's base URL: http(s) only, no user or password in it, no trailing `/api/v1`. */
function baseUrlOf(text: string, insecure: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw optionsError('--server wants a URL such as https://drydock.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw optionsError('--server wants an http:// or https:// URL');
  if (url.username !== '' || url.password !== '')
    throw optionsError('the server URL must not hold a user or password; pass an API token instead');
  // A bearer token over plain HTTP can be read by anyone on the way.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !insecure)
    throw optionsError(
      `refusing to send the API token in clear text to ${url.origin}: use https, or --insecure if the network is trusted`,
    );
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${path}`;
}

/**
 * Header-safe token text. A token with spaces or control characters would make the request fail
 * with an error that quotes the header, and so the token; it is refused here without showing it.
 */
function checkedToken(token: string, from: string): string {
  if (token === '') throw optionsError(`the API token from ${from} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token))
    throw optionsError(`the API token from ${from} holds spaces or characters a token cannot have`);
  return token;
}

async function tokenFromFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code =
      error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unreadable';
    throw optionsError(`cannot read the token file ${path} (${code})`);
  }
  return checkedToken(text.trim(), `the token file ${path}`);
}

/**
 * The running service to call, or undefined to open the local database: `--server` (else
 * DRYDOCK_SERVER) chooses it, and the token comes from `--token`, `--token-file` or DRYDOCK_TOKEN,
 * in that order. A token given on the command line without a server is a mistake, not a local run.
 */
export async function serverConnectionOf(
  options: ServerOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerConnection | undefined> {
  const server = options.server || env['DRYDOCK_SERVER'] || undefined;
  if (options.token !== undefined && options.tokenFile !== undefined)
    throw optionsError('give the API token once: --token or --token-file');
  if (!server) {
    if (options.token !== undefined || options.tokenFile !== undefined)
      throw optionsError(
        "--token and --token-file are the API token of --server (or DRYDOCK_SERVER); a registry's own bearer token is `registry add --registry-token`",
      );
    return undefined;
  }
  const baseUrl = baseUrlOf(server, options.insecure === true);
  if (options.token !== undefined) return { baseUrl, token: checkedToken(options.token, '--token') };
  if (options.tokenFile !== undefined) return { baseUrl, token: await tokenFromFile(options.tokenFile) };
  const fromEnv = env['DRYDOCK_TOKEN'];
  if (fromEnv === undefined || fromEnv === '')
    throw optionsError(`${baseUrl} needs an API token: --token-file FILE, DRYDOCK_TOKEN or --token`);
  return { baseUrl, token: checkedToken(fromEnv.trim(), 'DRYDOCK_TOKEN') };
}
