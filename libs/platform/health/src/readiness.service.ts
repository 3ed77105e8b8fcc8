import { Inject, Injectable, Logger } from '@nestjs/common';
import { READINESS_CHECKS, READINESS_TIMEOUT_MS } from './health-options';
import { CheckStatus, ReadinessCheck, ReadinessReport } from './readiness-check';
import { withTimeout } from './with-timeout';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs every readiness check in parallel, each bounded by the timeout, so `/readyz` never hangs.
 * Ready means every check that is not optional is up; optional ones are only reported.
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger(ReadinessService.name);
  /** Last status per check, to log changes rather than every probe (Kubernetes asks every few seconds). */
  private readonly lastStatus = new Map<string, CheckStatus>();

  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(READINESS_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {
    const names = checks.map((check) => check.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw new Error(`Readiness check "${duplicate}" is registered twice`);
  }

  async check(): Promise<ReadinessReport> {
    const statuses = await Promise.all(this.checks.map((check) => this.run(check)));
    const checks = Object.fromEntries(this.checks.map((check, index) => [check.name, statuses[index]]));
    const ready = this.checks.every((check, index) => check.optional || statuses[index] === 'up');
    return { ready, checks };
  }

  private async run(check: ReadinessCheck): Promise<CheckStatus> {
    let status: CheckStatus;
    let reason = 'reported not ready';
    try {
      // A check that throws synchronously is caught here as well as one that rejects.
      const up = await withTimeout(
        new Promise<boolean>((resolve) => resolve(check.check())),
        this.timeoutMs,
        check.name,
      );
      status = up ? 'up' : 'down';
    } catch (error) {
      status = 'down';
      reason = describeError(error);
    }
    this.record(check.name, status, reason);
    return status;
  }

  private record(name: string, status: CheckStatus, reason: string): void {
    const previous = this.lastStatus.get(name);
    this.lastStatus.set(name, status);
    if (status === previous) return;
    if (status === 'down') this.logger.warn(`Readiness check ${name} is down: ${reason}`);
    else if (previous === 'down') this.logger.log(`Readiness check ${name} is up again`);
  }
}
