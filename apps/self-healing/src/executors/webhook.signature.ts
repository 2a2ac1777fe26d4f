import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every webhook delivery. */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-vigil-timestamp',
  signature: 'x-vigil-signature',
  delivery: 'x-vigil-delivery',
} as const;

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. The timestamp (unix seconds,
 * also sent in X-Vigil-Timestamp) is inside the MAC, so a captured delivery cannot be replayed
 * later with a fresh timestamp.
 */
export function signWebhook(args: { secret: string; timestamp: number; body: string }): string {
  return `sha256=${createHmac('sha256', args.secret).update(`${args.timestamp}.${args.body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the MAC over the raw body bytes as received, compare in
 * constant time, and refuse timestamps further than `toleranceSeconds` from its own clock.
 */
export function verifyWebhook(args: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  if (!args.timestamp || !args.signature || !/^\d{1,12}$/.test(args.timestamp)) return false;
  const timestamp = Number(args.timestamp);
  if (Math.abs(args.nowSeconds - timestamp) > (args.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook({ secret: args.secret, timestamp, body: args.body }));
  const given = Buffer.from(args.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
