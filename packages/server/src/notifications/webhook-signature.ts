import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a delivery proves it came from Drydock and is fresh. The signed text is the decimal Unix
 * time in seconds (`X-Drydock-Timestamp`), a dot, then the raw request body; the signature is
 * `sha256=` followed by the lowercase hex HMAC-SHA256 of that text keyed with the webhook's secret
 * (`X-Drydock-Signature`). A receiver recomputes it over the body bytes exactly as received
 * (before any JSON parsing), compares in constant time, and refuses timestamps too far from its
 * own clock (five minutes is usual) so a captured delivery cannot be replayed later.
 */

export const signatureHeader = 'x-drydock-signature';
export const timestampHeader = 'x-drydock-timestamp';
export const eventHeader = 'x-drydock-event';
export const deliveryHeader = 'x-drydock-delivery';

/** The `X-Drydock-Signature` value of `body` sent at `timestamp` (Unix seconds). */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A receiver's check, as the documentation describes it: true when `signature` is the body's
 * signature at `timestamp` and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { readonly signature: string; readonly timestamp: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!/^\d{1,12}$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
