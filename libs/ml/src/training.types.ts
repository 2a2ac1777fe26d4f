/** A labelled, row-major float32 matrix: the one input every trainer takes. */
export interface TrainingSet {
  readonly X: Float32Array;
  readonly nRows: number;
  readonly nFeatures: number;
  /** Class index per row, 0..nClasses-1. */
  readonly y: Int32Array;
  readonly nClasses: number;
  readonly sampleWeight?: Float32Array | Float64Array;
}

/** Trees done so far out of the total, for progress bars. */
export type ProgressCallback = (done: number, total: number) => void;
