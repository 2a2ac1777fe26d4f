import { z } from 'zod';

type Nested = number | null | Nested[];
const nested: z.ZodType<Nested> = z.lazy(() => z.union([z.number(), z.null(), z.array(nested)]));

/** An Open Inference Protocol (KServe v2) inference request, JSON form. */
export const inferRequestSchema = z.object({
  id: z.string().max(200).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(z.object({
    name: z.string().min(1).max(200),
    shape: z.array(z.number().int().min(0)).min(1).max(2),
    datatype: z.string(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    /** Row-major, flat or nested; `null` is NaN. */
    data: z.array(nested),
  })).min(1),
  outputs: z.array(z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() })).optional(),
});
export type KServeInferRequest = z.infer<typeof inferRequestSchema>;

export const tensorMetadataSchema = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) });
export const modelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string(),
  inputs: z.array(tensorMetadataSchema),
  outputs: z.array(tensorMetadataSchema),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

export const inferResponseSchema = z.object({
  model_name: z.string(),
  model_version: z.string(),
  id: z.string().optional(),
  outputs: z.array(tensorMetadataSchema.extend({ data: z.array(z.union([z.number(), z.string()])) })),
});
export type KServeInferResponse = z.infer<typeof inferResponseSchema>;

export const OUTPUT_NAMES = ['label', 'probabilities'] as const;
export const INPUT_NAME = 'input';
