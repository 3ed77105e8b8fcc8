import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ReadinessService } from './readiness.service';
import type { CheckStatus } from './readiness-check';

/** The one method of the platform's response object this controller needs (Express and Fastify both have it). */
interface StatusSettable {
  status(code: number): unknown;
}

export interface LivenessBody {
  status: 'ok';
}

export interface ReadinessBody {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckStatus>;
}

/** Probes for the orchestrator, not part of the public API (hence no OpenAPI entry). */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** Alive: answers as long as the process serves HTTP, and checks nothing, so a dependency outage never restarts pods. */
  @Get('healthz')
  healthz(): LivenessBody {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic. The 503 is set on the response rather than thrown, so an app's exception
   * filter cannot rewrite the body into its error envelope.
   */
  @Get('readyz')
  async readyz(@Res({ passthrough: true }) res: StatusSettable): Promise<ReadinessBody> {
    const report = await this.readiness.check();
    res.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.ready ? 'ready' : 'not_ready', checks: report.checks };
  }
}
