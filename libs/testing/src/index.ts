export { expectEventually, type EventuallyOptions } from './eventually/expect-eventually';
export { uniqueName, freshSchemaName } from './names/unique-names';
export { freePort } from './service-process/free-port';
export { startService, type StartServiceOptions, type ServiceProcess } from './service-process/service-process';
export { ensureBuilt, isBuildStale, repoRoot } from './service-process/build-freshness';
export { startMigratedService, type MigratedService } from './service-process/migrated-service';
export { deletePipelineStreams, isolatedPipelinePrefix } from './pipeline-isolation/pipeline-isolation';
export {
  expectServiceLifecycle,
  expectServiceUnready,
  type ServiceLifecycleOptions,
  type ServiceUnreadyOptions,
} from './service-process/service-lifecycle';
