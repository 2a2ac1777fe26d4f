import { z } from 'zod';
import { contractIdSchema } from './flow-batch.schemas';

/**
 * The manifest of one model version (`models/<name>/<version>/manifest.json`, and the
 * ONNX file's metadata). Everything needed to run, validate, compare and rebuild the
 * model is here; nothing here depends on when it was built, so a rebuild is byte-identical.
 */
export const MODEL_MANIFEST_VERSION = 1;

export const modelTaskSchema = z.enum(['detect', 'classify']);
export type ModelTask = z.infer<typeof modelTaskSchema>;

/** What a model's classes name: attack vs normal, a canonical label, or a label family. */
export const classLevelSchema = z.enum(['binary', 'label', 'family']);
export type ClassLevel = z.infer<typeof classLevelSchema>;

export const featureHistogramSchema = z
  .object({
    feature: z.string().min(1),
    /** Ascending bin upper edges; the last bin also holds everything above the last edge. */
    edges: z.array(z.number()),
    /** Share of training rows per bin (edges.length + 1 bins), then missing (NaN) rows last. */
    shares: z.array(z.number().min(0).max(1)),
  })
  .refine((h) => h.shares.length === h.edges.length + 2, { message: 'shares must hold edges.length + 2 entries (bins + missing)' });
export type FeatureHistogram = z.infer<typeof featureHistogramSchema>;

export const trainingDataSchema = z.object({
  /** Repo-relative or `../shared/...` path as given on the command line. */
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int().nonnegative(),
});

export const modelManifestSchema = z
  .object({
    manifestVersion: z.literal(MODEL_MANIFEST_VERSION),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
    version: z.number().int().positive(),
    task: modelTaskSchema,
    contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
    /** Canonical contract feature names, in the model's input order. */
    features: z.array(z.string().min(1)).min(1),
    classLevel: classLevelSchema,
    /** Class names in output (probability column) order. */
    classLabels: z.array(z.string().min(1)).min(2),
    /** detect: index of the attack class in classLabels, and the threshold on its probability. */
    positiveClass: z.number().int().nonnegative().optional(),
    /**
     * detect: the row is positiveClass iff P(positiveClass) >= threshold. classify with
     * normalClass: the row is an attack iff 1 - P(normalClass) >= threshold, and then the most
     * likely class other than normalClass; without normalClass, the most likely class.
     */
    threshold: z.number().min(0).max(1).optional(),
    /** classify, optional: index of the benign class in classLabels that the threshold gates (a gated classifier). */
    normalClass: z.number().int().nonnegative().optional(),
    /**
     * Optional: home-network CIDRs the model's `ctx.*` context features were trained with
     * (e.g. ctx.src_in_home_net); a deployment may override them with its own HOME_NET.
     */
    homeNet: z.array(z.string().min(1)).optional(),
    /** Canonical labels merged into one class, e.g. { "PortScan": ["Infiltration - Portscan"] }. */
    mergedLabels: z.record(z.string(), z.array(z.string())).default({}),
    algorithm: z.object({ kind: z.enum(['rf', 'dt', 'gbt']), params: z.record(z.string(), z.unknown()) }),
    training: z.object({
      data: z.array(trainingDataSchema).min(1),
      /** sha256 over the data files' hashes and the training options. */
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      seed: z.number().int(),
      command: z.string().min(1),
      rows: z.number().int().nonnegative(),
      classCounts: z.record(z.string(), z.number().int().nonnegative()),
    }),
    validation: z.object({ method: z.string().min(1), metrics: z.record(z.string(), z.unknown()) }),
    referenceHistograms: z.array(featureHistogramSchema),
    createdBy: z.string().min(1),
  })
  .refine((m) => m.task !== 'detect' || (m.positiveClass !== undefined && m.threshold !== undefined && m.positiveClass < m.classLabels.length), {
    message: 'a detect model needs positiveClass (an index into classLabels) and threshold',
  })
  .refine((m) => m.normalClass === undefined || (m.threshold !== undefined && m.normalClass < m.classLabels.length), {
    message: 'normalClass must index classLabels and comes with a threshold',
  });

export type ModelManifest = z.infer<typeof modelManifestSchema>;
