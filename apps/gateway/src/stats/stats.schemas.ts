import { contractIdSchema } from '@vigil/contracts';
import { z } from 'zod';

export const statsQuerySchema = z.object({
  windowMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60).describe('minutes back from now (ignored when from is given)'),
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  contract: contractIdSchema.optional(),
});
export type StatsQuery = z.output<typeof statsQuerySchema>;

const point = z.object({
  minute: z.string(),
  contract: z.string(),
  metric: z.enum(['flows', 'flagged', 'threats']).describe('flows scored by the detector, flows it flagged, flows classified as an attack'),
  class: z.string().describe('attack class for threats; empty for flows and flagged'),
  model: z.string().describe('name@version of the detector (flows, flagged) or classifier (threats)'),
  count: z.number(),
});

export const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  series: z.array(point),
  totals: z.object({
    flows: z.number(),
    flagged: z.number(),
    threats: z.number(),
    detectionRate: z.number().nullable().describe('flagged / flows over the window'),
    byContract: z.record(z.string(), z.object({ flows: z.number(), flagged: z.number(), threats: z.number() })),
    byClass: z.record(z.string(), z.number()),
    byModel: z.record(z.string(), z.number()),
  }),
});
export type Stats = z.infer<typeof statsSchema>;
