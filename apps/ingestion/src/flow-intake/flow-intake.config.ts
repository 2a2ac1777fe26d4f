import { type PipelineTopology } from '@vigil/contracts';

/** What the doors need from the service config. */
export interface IngestionSettings {
  readonly defaultSensor: string;
  readonly batchMaxFlows: number;
  readonly dedupCapacity: number;
  /** Ingest messages handled at once. */
  readonly concurrency: number;
  /** Deliveries of an ingest chunk before it is dead-lettered (poison goes at once). */
  readonly maxDeliver: number;
  readonly topology: PipelineTopology;
}

export const INGESTION_CONFIG = Symbol('INGESTION_CONFIG');
export const INGESTION_TOPOLOGY = Symbol('INGESTION_TOPOLOGY');
