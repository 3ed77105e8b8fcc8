import { serviceDatabaseUrl } from '@payflow/platform/config';
import { PgChannelListener } from '@payflow/platform/database';
import { ATTEMPTS_DUE_CHANNEL } from '../attempts/attempts.repository';

/**
 * The worker's wake-up call: recording or rescheduling an attempt NOTIFYs at commit, so a new
 * attempt is called at once rather than at the next poll. After a gap in the session the workers
 * look anyway; their poll covers the time it takes to reconnect.
 */
export class DueAttemptsListener extends PgChannelListener {
  constructor(onDue: () => void) {
    super({
      connectionString: serviceDatabaseUrl('orchestrator'),
      channel: ATTEMPTS_DUE_CHANNEL,
      applicationName: 'orchestrator-worker',
      onNotification: onDue,
      onGap: onDue,
    });
  }
}
