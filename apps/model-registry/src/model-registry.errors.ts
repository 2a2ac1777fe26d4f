import { REGISTRY_ERROR_CODES, type RegistryErrorCode } from '@vigil/contracts';
import { VigilError, type ErrorDetails, type ErrorKind } from '@vigil/errors';

export { REGISTRY_ERROR_CODES };

const KINDS: Partial<Record<RegistryErrorCode, ErrorKind>> = {
  [REGISTRY_ERROR_CODES.ModelNotFound]: 'not-found',
  [REGISTRY_ERROR_CODES.VersionNotFound]: 'not-found',
  [REGISTRY_ERROR_CODES.UploadNotFound]: 'not-found',
  [REGISTRY_ERROR_CODES.NothingToRollBack]: 'conflict',
};

/** Every error the registry answers with; the message says exactly what does not match. */
export class RegistryError extends VigilError {
  constructor(code: RegistryErrorCode, message: string, details: ErrorDetails = {}, cause?: unknown) {
    super({ code, message: `${code}: ${message}`, kind: KINDS[code] ?? 'invalid-input', details, cause });
  }
}
