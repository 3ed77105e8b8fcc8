/**
 * Fires the scheduled faults, each once the workload has started its `atPayment` (or has finished,
 * so every scheduled fault is injected), and records when and for how long. Two lanes run side by
 * side, each one fault at a time: the infrastructure (Postgres, Kafka, kills) and the simulator
 * (PSP and webhook faults, poison), so the faults overlap the load rather than trail behind it.
 */
export function laneOf(fault: FaultEvent): 'infrastructure' | 'simulator' {
  return fault.kind === 'postgres' || fault.kind === 'kafka' || fault.kind === 'kill'
    ? 'infrastructure'
    : 'simulator';
}

import type { Producer } from 'kafkajs';
import type { KafkaBroker } from './broker';
import type { PostgresCluster } from './cluster';
import { POISON_MARKER } from './facts';
import type { FaultEvent } from './schedule';

export interface InjectedFault {
  kind: string;
  at_payment: number;
  /** Whether payments were still being run when it was injected. */
  during_load: boolean;
  /** Seconds since the workload started. */
  at_s: number;
  duration_s: number;
  detail?: string;
  error?: string;
}

export interface FaultTargets {
  cluster: PostgresCluster;
  broker: KafkaBroker;
  restartService(name: string): Promise<void>;
  simulatorUrl: string;
  /** A producer on the harness's broker, for poison messages. */
  producer(): Promise<Producer>;
  poisonTopic: string;
  seed: number;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A capture or refund fails at the simulator SIMULATOR_LATE_FAILURE_DELAY_MS (1 s) after it
 * succeeded, and its notification is sent then, under whatever faults are set at that moment. A
 * `webhook_drop` window starts this long after the window before it ended, so a later failure from
 * that window is never lost: nothing in PayFlow waits for it, so nothing could ever learn of it.
 */
export const GAP_BEFORE_WEBHOOK_DROP_MS = 3_000;

async function setSimulatorFaults(
  simulatorUrl: string,
  provider: string,
  spec: string | null,
): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_simulator/faults/${provider}`, {
    method: spec ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: spec ? JSON.stringify({ spec }) : undefined,
  });
  if (!response.ok)
    throw new Error(`simulator refused faults ${spec}: ${response.status} ${await response.text()}`);
}

export class FaultRunner {
  readonly injected: InjectedFault[] = [];
  private started = 0;
  private workloadDone = false;
  private waiters: (() => void)[] = [];
  private readonly begun = new Set<FaultEvent>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly schedule: FaultEvent[],
    private readonly targets: FaultTargets,
  ) {}

  /**
   * The workload is about to start payment `index`: resolves once every fault due at or before it
   * has begun, so each fault meets the load at its point of the workload even when the fault before
   * it in its lane took longer than the payments in between.
   */
  async paymentStarting(index: number): Promise<void> {
    this.started = Math.max(this.started, index + 1);
    this.wakeAll();
    while (this.schedule.some((fault) => fault.atPayment <= index + 1 && !this.begun.has(fault))) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  workloadFinished(): void {
    this.workloadDone = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Runs the whole schedule; resolves when the last fault has been injected and healed. */
  async run(): Promise<void> {
    await Promise.all([
      this.runLane(this.schedule.filter((f) => laneOf(f) === 'infrastructure')),
      this.runLane(this.schedule.filter((f) => laneOf(f) === 'simulator')),
    ]);
    this.injected.sort((a, b) => a.at_s - b.at_s);
  }

  private async runLane(faults: FaultEvent[]): Promise<void> {
    for (const fault of faults) {
      while (!this.workloadDone && this.started < fault.atPayment)
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.begun.add(fault);
      this.wakeAll();
      const at = (Date.now() - this.startedAt) / 1000;
      const began = Date.now();
      const record: InjectedFault = {
        kind: fault.kind,
        at_payment: fault.atPayment,
        during_load: !this.workloadDone,
        at_s: Math.round(at),
        duration_s: 0,
      };
      this.targets.log(`fault: ${describe(fault)} at payment ${this.started} (${Math.round(at)} s)`);
      try {
        record.detail = await this.inject(fault);
      } catch (error) {
        record.error = (error as Error).message;
        this.targets.log(`fault ${fault.kind} failed: ${record.error}`);
      }
      record.duration_s = Math.round((Date.now() - began) / 100) / 10;
      this.injected.push(record);
    }
  }

  private async inject(fault: FaultEvent): Promise<string> {
    const { targets } = this;
    switch (fault.kind) {
      case 'postgres':
        targets.cluster.stop();
        await sleep(fault.durationMs);
        targets.cluster.start();
        return `stopped ${fault.durationMs / 1000} s`;
      case 'kafka':
        await targets.broker.stop();
        await sleep(fault.durationMs);
        await targets.broker.start();
        return `stopped ${fault.durationMs / 1000} s`;
      case 'kill':
        await targets.restartService(fault.service);
        return `SIGKILL ${fault.service}, restarted`;
      case 'psp_side':
        if (fault.window === 'webhook_drop') await sleep(GAP_BEFORE_WEBHOOK_DROP_MS);
        await setSimulatorFaults(targets.simulatorUrl, fault.provider, fault.spec);
        await sleep(fault.durationMs);
        await setSimulatorFaults(targets.simulatorUrl, fault.provider, null);
        return `${fault.provider} ${fault.window}: ${fault.spec} for ${fault.durationMs / 1000} s`;
      case 'psp':
      case 'webhooks':
        await setSimulatorFaults(targets.simulatorUrl, fault.provider, fault.spec);
        await sleep(fault.durationMs);
        await setSimulatorFaults(targets.simulatorUrl, fault.provider, null);
        return `${fault.provider} ${fault.spec} for ${fault.durationMs / 1000} s`;
      case 'poison': {
        const producer = await targets.producer();
        await producer.send({
          topic: targets.poisonTopic,
          messages: Array.from({ length: fault.count }, (_, n) => ({
            key: `${POISON_MARKER}-${n}`,
            value: `${POISON_MARKER} ${targets.seed} ${n}: not JSON {`,
          })),
        });
        return `${fault.count} non-JSON messages on ${targets.poisonTopic}`;
      }
    }
  }
}

export function describe(fault: FaultEvent): string {
  switch (fault.kind) {
    case 'postgres':
    case 'kafka':
      return `${fault.kind} stopped for ${fault.durationMs / 1000} s`;
    case 'kill':
      return `SIGKILL ${fault.service}`;
    case 'psp':
    case 'webhooks':
      return `${fault.kind} faults on ${fault.provider} (${fault.spec}) for ${fault.durationMs / 1000} s`;
    case 'poison':
      return `${fault.count} poison messages`;
    case 'psp_side':
      return `PSP-side ${fault.window} on ${fault.provider} (${fault.spec}) for ${fault.durationMs / 1000} s`;
  }
}
