import type { PspNotificationReceivedData } from '@payflow/contracts';
import type { Settlement } from '../results/settlement';

/**
 * The decline a failed authorization notification reports, as the PSP gave it: a lost card settled
 * by webhook must stay `lost_card` (dunning never retries it), with its network and advice code.
 * Only a notification that says nothing falls back to the generic `card_declined`.
 */
export function declineOf(n: PspNotificationReceivedData): Extract<Settlement, { status: 'declined' }> {
  return {
    status: 'declined',
    code: n.code || 'card_declined',
    declineCode: n.decline_code || null,
    message: n.message || `${n.provider} declined the authorization`,
    network: n.network || null,
    adviceCode: n.advice_code || null,
    pspReference: n.psp_reference,
  };
}
