export { RegistryClient, type RegistryClientOptions } from './registry.client';
export { RegistryClientError } from './registry-client.errors';
