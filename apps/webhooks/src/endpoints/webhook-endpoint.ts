/** A row of `webhook_endpoints`. */
export interface WebhookEndpointRow {
  id: string;
  merchant_id: string;
  url: string;
  enabled_events: string[];
  secret: string;
  status: 'enabled' | 'disabled';
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The public endpoint (API.md); `secret` only in the answer that created it. */
export interface WebhookEndpointObject {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  status: 'enabled' | 'disabled';
  description: string | null;
  created: string;
  updated: string;
  secret?: string;
}

export function toEndpointObject(
  row: WebhookEndpointRow,
  options: { withSecret?: boolean } = {},
): WebhookEndpointObject {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    enabled_events: row.enabled_events,
    status: row.status,
    description: row.description,
    created: new Date(row.created_at).toISOString(),
    updated: new Date(row.updated_at).toISOString(),
    ...(options.withSecret ? { secret: row.secret } : {}),
  };
}

/** What `DELETE` answers, as Stripe does. */
export interface DeletedEndpointObject {
  id: string;
  object: 'webhook_endpoint';
  deleted: true;
}
