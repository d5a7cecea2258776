import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../packages/server/src/notifications/webhook-signature.ts';

/** One request as the loopback receiver got it. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on loopback: records every request and answers each with the next status. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  statuses: number[] = [];
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = receiver.statuses.shift() ?? 200;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  of(event: string): Received[] {
    return this.received.filter((entry) => entry.headers['x-drydock-event'] === event);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks the signature the way the documentation tells a receiver to. */
export function assertSigned(entry: Received, secret: string): Record<string, unknown> {
  const signature = entry.headers['x-drydock-signature'];
  const timestamp = entry.headers['x-drydock-timestamp'];
  assert.equal(typeof signature, 'string');
  assert.equal(typeof timestamp, 'string');
  assert.ok(
    verifyWebhookSignature(
      secret,
      { signature: String(signature), timestamp: String(timestamp) },
      entry.body,
      Math.floor(Date.now() / 1000),
    ),
    'the signature verifies',
  );
  assert.ok(
    !verifyWebhookSignature(
      `${secret}x`,
      { signature: String(signature), timestamp: String(timestamp) },
      entry.body,
      Math.floor(Date.now() / 1000),
    ),
  );
  assert.equal(entry.headers['content-type'], 'application/json');
  const body = JSON.parse(entry.body) as Record<string, unknown>;
  assert.equal(body.id, entry.headers['x-drydock-delivery']);
  assert.equal(body.event, entry.headers['x-drydock-event']);
  return body;
}
