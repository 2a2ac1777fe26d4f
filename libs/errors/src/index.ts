export { VigilError, isVigilError, type ErrorDetails, type ErrorKind } from './vigil-error/vigil-error';
