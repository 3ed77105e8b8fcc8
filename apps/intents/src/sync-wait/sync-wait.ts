import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IntentsConfig } from '../intents.config';
import { PaymentIntentRow } from '../payment-intents/payment-intent.row';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { intentSyncWaitTotal } from '../state-machine/intent-metrics';
import { IntentChangeListener } from './intent-change-listener';
import { IntentWaiter } from './intent-waiter';

export type WaitedCommand = 'authorize' | 'capture' | 'cancel';

/** When the orchestrator's answer to a command has arrived, i.e. the intent left the in-between state. */
export function isSettled(command: WaitedCommand, intent: PaymentIntentRow): boolean {
  switch (command) {
    case 'authorize':
      // With automatic capture an authorization alone is not the answer: the capture is on its way,
      // unless it already failed (last_error set).
      if (intent.status === 'authorized')
        return intent.capture_method === 'manual' || intent.last_error !== null;
      return intent.status !== 'authorizing';
    case 'capture':
      return intent.status !== 'capturing';
    case 'cancel':
      return intent.status !== 'canceling';
  }
}

/**
 * The sync facade: after a command committed, waits up to SYNC_WAIT_MS for the intent to settle,
 * woken by the shared LISTEN session and reading the intent on each wake-up and once more at the
 * deadline (a notification lost with a dropped session cannot make it answer a stale state).
 */
@Injectable()
export class SyncWait {
  private readonly waitMs: number;

  constructor(
    private readonly listener: IntentChangeListener,
    private readonly intents: PaymentIntentsRepository,
    private readonly dataSource: DataSource,
    config: IntentsConfig,
  ) {
    this.waitMs = config.SYNC_WAIT_MS;
  }

  /** Call inside the command's transaction, before it commits. */
  register(intentId: string): IntentWaiter {
    return this.listener.register(intentId);
  }

  /** The intent as it stands when settled or at the deadline, and whether it settled. */
  async settle(
    waiter: IntentWaiter,
    command: WaitedCommand,
  ): Promise<{ intent: PaymentIntentRow; settled: boolean }> {
    const deadline = Date.now() + this.waitMs;
    try {
      for (;;) {
        const remaining = deadline - Date.now();
        const wake = remaining > 0 ? await waiter.next(remaining) : 'timeout';
        const intent = await this.intents.findById(this.dataSource, waiter.intentId);
        if (!intent) throw new Error(`payment intent ${waiter.intentId} vanished while waiting`);
        const settled = isSettled(command, intent);
        if (settled || wake === 'timeout') {
          intentSyncWaitTotal.inc({ command, outcome: settled ? 'settled' : 'timeout' });
          return { intent, settled };
        }
      }
    } finally {
      waiter.dispose();
    }
  }
}
