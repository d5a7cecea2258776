import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const requestIdHeader = 'x-request-id';

/**
 * A caller's (or a proxy's) request id is kept when it looks like an id, so one id follows a request
 * through the proxy's log and ours; anything else (long, or holding characters that could forge log
 * lines) is replaced by a fresh UUID.
 */
const saneId = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(request: IncomingMessage): string {
  const sent = request.headers[requestIdHeader];
  return typeof sent === 'string' && saneId.test(sent) ? sent : randomUUID();
}
