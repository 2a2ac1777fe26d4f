import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ReadinessRegistry, type ReadinessReport } from './readiness.registry';

export const SERVICE_IDENTITY = Symbol('SERVICE_IDENTITY');

export interface ServiceIdentity {
  readonly service: string;
  readonly instance: string;
}

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok'; service: string; instance: string; uptimeSeconds: number } {
    return { status: 'ok', ...this.identity, uptimeSeconds: Math.round(process.uptime()) };
  }

  /** Readiness: every registered check passes; otherwise 503 naming the failed checks. */
  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  async ready(): Promise<ReadinessReport & { status: 'ready' }> {
    const report = await this.readiness.evaluate();
    if (!report.ready) {
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
      throw new ServiceUnavailableException({ status: 'not-ready', failed, ...report });
    }
    return { status: 'ready', ...report };
  }
}
