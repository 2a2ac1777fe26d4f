export type {
  CanonicalLabel, Contract, ContractId, FeatureSpec, FlowBatch, FlowEnvelope, LabelSpec, RowError, VariantSpec,
} from './contract.types';
export { ContractError, ROW_ERROR_CODES, type ContractErrorCode } from './contract.errors';
export { contracts, featureIndex, getContract, isContractId } from './contract.registry';
export { NSL_KDD_CONTRACT, NSL_KDD_FLAGS, NSL_KDD_PROTOCOLS, NSL_KDD_SERVICES, UNKNOWN_CATEGORY } from './nsl-kdd.contract';
export { CIC_CONTRACT, CIC_LABELS } from './cicflowmeter.contract';
export { normaliseColumnName } from './cicflowmeter.features';
export { encodeLabel, isRowError, labelKey, mapLabel } from './label.mapper';
export type { VariantId } from './format.variants';
export { detectFormat, type ColumnMapping, type ColumnRole, type DetectOptions, type FormatDetection } from './format.detection';
export { createBatchParser, type BatchParser } from './batch.parser';
export { readFlowFile, readFlowStream, type FlowReader, type ReadFlowOptions } from './flow-file.reader';
export {
  CONTRACT_HEADERS, DECISION_KINDS, PAYLOAD_TYPES, STREAMS, subjects, type DecisionKind, type StreamName,
} from './messaging.subjects';
export {
  canonicalLabelSchema, contractIdSchema, FLOW_BATCH_WIRE_VERSION, flowBatchHeaderSchema, flowEnvelopeSchema, type FlowBatchHeader,
} from './flow-batch.schemas';
export {
  decodeFlowBatchMessage, deriveBatchId, encodeFlowBatchMessage, flowBatchFromMessage, type EncodeFlowBatchArgs, type FlowBatchMessage,
} from './flow-batch.codec';
export { CONTRACT_SAMPLES, contractSamplePath, type ContractSample } from './contract.samples';
export {
  MODEL_MANIFEST_VERSION, classLevelSchema, featureHistogramSchema, modelManifestSchema, modelTaskSchema, trainingDataSchema,
  type ClassLevel, type FeatureHistogram, type ModelManifest, type ModelTask,
} from './model-manifest.schemas';
export {
  DECISION_ORIGINS, DECISION_SCOPES, DECISION_STATUSES, OPEN_DECISION_STATUSES, PAYLOAD_TYPE_DECISION_EVENT, SAFETY_ALERT_CODES,
  SELF_HEALING_REQUESTS, addAllowlistRequestSchema, allowlistEntrySchema, createDecisionRequestSchema, decisionActionSchema,
  decisionAuditEntrySchema, decisionEventSchema, decisionIdRequestSchema, decisionOriginSchema, decisionReasonSchema, decisionSchema,
  decisionScopeSchema, decisionStatusSchema, decisionStreamRequestSchema, decisionTransitionRequestSchema, deletePolicyRequestSchema,
  detectorHealthRequestSchema, listDecisionsRequestSchema, policySchema, removeAllowlistRequestSchema, setSimulationRequestSchema,
  upsertPolicyRequestSchema,
  type Decision, type DecisionAuditEntry, type DecisionEvent, type DecisionOrigin, type DecisionReason, type DecisionScope,
  type DecisionStatus, type Policy,
} from './decision.schemas';
export { pipelineTopology, type PipelineTopology } from './pipeline.topology';
export { DETECTION_BATCH_WIRE_VERSION, detectionBatchHeaderSchema, modelRefSchema, type DetectionBatchHeader, type ModelRef } from './detection-batch.schemas';
export {
  decodeDetectionBatchMessage, encodeDetectionBatchMessage, type DetectionBatchMessage, type EncodeDetectionBatchArgs,
} from './detection-batch.codec';
export {
  THREAT_BATCH_WIRE_VERSION, decodeThreatBatchMessage, encodeThreatBatchMessage, threatBatchSchema, threatSchema, type Threat, type ThreatBatch,
} from './threat-batch.schemas';
export {
  MODEL_ALIASES, REGISTRY_CHUNK_BYTES, REGISTRY_ERROR_CODES, REGISTRY_REQUESTS, REPLICA_MODEL_STATES, aliasHistoryRequestSchema, aliasTargetSchema,
  artifactChunkSchema, downloadArtifactRequestSchema, listModelsRequestSchema, listVersionsRequestSchema, modelActivatedEventSchema,
  modelAliasSchema, modelAliasesSchema, modelNameRequestSchema, modelVersionInfoSchema, registryTopology, replicaModelSchema, replicaModelStatsSchema,
  rollbackRequestSchema, rolloutReportSchema, rolloutStatusRequestSchema, setAliasRequestSchema, uploadBeginRequestSchema,
  uploadChunkRequestSchema, uploadCommitRequestSchema, versionRequestSchema,
  type ArtifactChunk, type ModelActivatedEvent, type ModelAlias, type ModelAliases, type ModelVersionInfo, type RegistryErrorCode,
  type RegistryRequestName, type RegistryTopology, type ReplicaModel, type ReplicaModelStats, type RolloutReport,
} from './registry.schemas';
export {
  API_KEY_ROLES, apiKeyRoleSchema, generateApiKey, hashApiKeySecret, parseApiKey, roleSatisfies, secretMatches, weakerRoles,
  type ApiKeyRole, type GeneratedApiKey,
} from './api-key.format';
export {
  MAX_STORED_ROW_ERRORS, UPLOAD_HEADERS, chunkProgressEventSchema, ingestionJobSchema, jobErrorsReplySchema, jobErrorsRequestSchema, jobIdRequestSchema,
  jobRowErrorSchema, uploadCountersSchema, uploadTopology,
  type ChunkProgressEvent, type IngestionJob, type JobRowError, type UploadCounters, type UploadTopology,
} from './upload-job.schemas';
export { threatExplanationSchema, type ThreatExplanation } from './threat-explanation.schemas';
export {
  driftAlertEventSchema, driftReplySchema, featureDriftSchema, versionDriftSchema,
  type DriftAlertEvent, type DriftReply, type VersionDrift,
} from './drift.schemas';
