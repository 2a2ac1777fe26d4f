export { RegistryClient, type RegistryClientOptions } from './registry.client';
export { RegistryClientError } from './registry-client.errors';
export {
  MAX_INFER_ROWS, REGISTRY_INFER_SUBJECT, inferReplySchema, inferRequestSchema, registryInferSubject, type InferReply, type InferRequest,
} from './registry-infer.schemas';
