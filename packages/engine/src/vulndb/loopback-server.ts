import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A test HTTP server on 127.0.0.1 (an ephemeral port), answering with the handler given. It keeps
 * track of its sockets so `close` ends stalled responses too. Test-only.
 */
export interface LoopbackServer {
  readonly url: string;
  readonly requests: { readonly path: string; readonly ifNoneMatch: string | undefined }[];
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: { path: string; ifNoneMatch: string | undefined }[] = [];
  const server = createServer((request, response) => {
    const header = request.headers['if-none-match'];
    requests.push({ path: request.url ?? '', ifNoneMatch: Array.isArray(header) ? header[0] : header });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the loopback server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
