import { apiKeyRoleSchema } from '@vigil/contracts';
import { z } from 'zod';

export const whoAmISchema = z.object({ keyId: z.string(), name: z.string(), role: apiKeyRoleSchema });
export type WhoAmI = z.infer<typeof whoAmISchema>;

export const serviceHealthSchema = z.object({
  service: z.string(),
  url: z.string().nullable(),
  ready: z.boolean(),
  checks: z.record(z.string(), z.unknown()).optional().describe('the service\'s own /readyz report'),
  error: z.string().optional().describe('why it is not ready (unreachable, timeout, failed checks)'),
  latencyMs: z.number().nullable(),
});
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

export const consumerLagSchema = z.object({
  stream: z.string(),
  consumer: z.string(),
  pending: z.number().describe('messages in the stream not yet delivered to the consumer'),
  ackPending: z.number().describe('delivered, not yet acknowledged'),
  redelivered: z.number(),
});
export type ConsumerLag = z.infer<typeof consumerLagSchema>;

export const servicesHealthSchema = z.object({
  at: z.string(),
  natsConnected: z.boolean(),
  services: z.array(serviceHealthSchema),
  consumers: z.array(consumerLagSchema),
});
export type ServicesHealth = z.infer<typeof servicesHealthSchema>;
