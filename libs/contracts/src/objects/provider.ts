/** The PSPs PayFlow routes to. Adding one is a contract change: consumers switch on this list. */
export const PROVIDERS = ['stripe', 'adyen'] as const;

export type Provider = (typeof PROVIDERS)[number];
