/** Injection tokens of the model-registry service. */
export const REGISTRY_CONFIG = Symbol('REGISTRY_CONFIG');
export const CLOCK = Symbol('REGISTRY_CLOCK');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
