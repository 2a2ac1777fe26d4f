/** Injection tokens of the self-healing app. */
export const SELF_HEALING_CONFIG = Symbol('SELF_HEALING_CONFIG');
export const CLOCK = Symbol('CLOCK');
export const DECISION_EXECUTORS = Symbol('DECISION_EXECUTORS');
export const DECISION_PUBLISHER = Symbol('DECISION_PUBLISHER');

/** Time behind an injectable seam, so tests control expiry. */
export interface Clock {
  now(): Date;
}
