import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web console's static files (packages/console/dist, built by Vite) at `/`. Any GET outside
 * the service's own paths that asks for HTML and names no file gets index.html, so the console's
 * client-side routes (`/projects/p1/images`) survive reloads and bookmarks. Hashed assets under
 * `assets/` never change and are cached for a year; index.html is revalidated on every load so a
 * new build is picked up at once. Every answer carries a Content-Security-Policy that allows this
 * origin only (inline styles excepted: Ant Design and ECharts set them at run time); no script
 * from anywhere else, and none inline. The console is public files: who may see data is decided by
 * the API behind it.
 */

/**
 * 'unsafe-inline' for styles only: Ant Design's CSS-in-JS inserts <style> elements and ECharts
 * sets style attributes. Scripts come from this origin's files alone.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the service answers itself: never the console's, so unknown ones keep the API's JSON 404. */
const servicePaths = ['/api', '/harbor', '/healthz', '/readyz', '/metrics'] as const;

/** Vite names these files by their content hash: a changed file is a new name. */
const hashedPrefix = 'assets/';
const immutableCache = 'public, max-age=31536000, immutable';

/** Marks the console's route so buildApi's check that every route is declared lets it through. */
const consoleRouteMarker = Symbol('drydock.consoleAssets');

export function isConsoleAssetRoute(config: unknown): boolean {
  return typeof config === 'object' && config !== null && consoleRouteMarker in config;
}

function isServicePath(path: string): boolean {
  return servicePaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The file of `root` a URL path names, relative to root, if it is a regular file. Dot segments,
 * hidden files, NUL and undecodable escapes name nothing.
 */
async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment.startsWith('.'))) return undefined;
  const relative = segments.join('/');
  try {
    return (await stat(join(root, relative))).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function send(reply: FastifyReply, file: string): FastifyReply {
  void reply
    .header('content-security-policy', consoleContentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', file.startsWith(hashedPrefix) ? immutableCache : 'no-cache');
  return reply.sendFile(file, { cacheControl: false, dotfiles: 'deny', index: false });
}

/**
 * Serves the console from `consoleDir` when it holds a build (index.html); otherwise logs that
 * the console is not served and leaves the API alone. Returns whether it is served.
 */
export async function registerConsoleAssets(app: FastifyInstance, consoleDir: string): Promise<boolean> {
  const root = resolve(consoleDir);
  const built = await stat(join(root, 'index.html')).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!built) {
    app.log.warn({ consoleDir: root }, 'console build not found; serving the API only');
    return false;
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false });
    scope.route({
      method: 'GET',
      url: '/*',
      config: { [consoleRouteMarker]: true },
      // Not part of the API: the OpenAPI document leaves it out.
      schema: { hide: true },
      handler: async (request, reply) => {
        const path = request.url.split('?')[0] ?? '/';
        if (isServicePath(path)) return reply.callNotFound();
        const file = await fileIn(root, path);
        if (file !== undefined) return send(reply, file);
        if (path === '/' || acceptsHtml(request)) return send(reply, 'index.html');
        return reply.callNotFound();
      },
    });
  });
  return true;
}
