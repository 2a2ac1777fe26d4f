import { VigilError } from '@vigil/errors';

/** The hot-swap client's own failures (a registry answer keeps its REGISTRY.* code as a RemoteError). */
export class RegistryClientError extends VigilError {
  constructor(code: 'REGISTRY_CLIENT.ARTIFACT_CORRUPT' | 'REGISTRY_CLIENT.MODEL_MISMATCH' | 'REGISTRY_CLIENT.NO_MODEL', message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super({ code, message, kind: code === 'REGISTRY_CLIENT.NO_MODEL' ? 'unavailable' : 'invalid-input', details, cause });
  }
}
