import { SetMetadata } from '@nestjs/common';

export const PSP_WEBHOOK_ROUTE = 'payflow:psp-webhook-route';

/**
 * Marks a route that PSPs call directly (through the gateway's byte-for-byte passthrough): it
 * carries no internal token, and its signature check is its authentication.
 */
export const PspWebhookRoute = () => SetMetadata(PSP_WEBHOOK_ROUTE, true);
