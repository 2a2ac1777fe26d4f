export interface DetectorObservation {
  /** Time of the newest flow batch published (ms since epoch), if any. */
  readonly flowsLastAt: number | undefined;
  /** Time of the newest detection result published, if any. */
  readonly detectionsLastAt: number | undefined;
  readonly nowMs: number;
}

export type HealthTransition = 'outage' | 'recovered' | undefined;

/**
 * Decides whether the detector is working. It is out when flows keep arriving but no
 * detection result has followed them for `outageAfterMs`, or when something (a probe, an
 * operator) says so explicitly; an explicit signal holds until the opposite signal. Quiet
 * traffic is not an outage: with no flows there is nothing to detect.
 */
export class DetectorHealth {
  private lagOutage = false;
  private explicit: { healthy: boolean; source: string; reason: string } | undefined;

  constructor(private readonly opts: { outageAfterMs: number; startedAtMs: number }) {}

  get healthy(): boolean {
    return !this.lagOutage && this.explicit?.healthy !== false;
  }

  get status(): { healthy: boolean; lagOutage: boolean; explicit?: { healthy: boolean; source: string; reason: string } } {
    return { healthy: this.healthy, lagOutage: this.lagOutage, ...(this.explicit ? { explicit: this.explicit } : {}) };
  }

  observe(obs: DetectorObservation): HealthTransition {
    const before = this.healthy;
    if (obs.flowsLastAt !== undefined) {
      const detectedUpTo = Math.max(obs.detectionsLastAt ?? 0, this.opts.startedAtMs);
      this.lagOutage = obs.flowsLastAt - detectedUpTo > this.opts.outageAfterMs;
    }
    return this.transition(before);
  }

  signal(args: { healthy: boolean; source: string; reason: string }): HealthTransition {
    const before = this.healthy;
    this.explicit = args;
    return this.transition(before);
  }

  private transition(before: boolean): HealthTransition {
    if (before && !this.healthy) return 'outage';
    if (!before && this.healthy) return 'recovered';
    return undefined;
  }
}
