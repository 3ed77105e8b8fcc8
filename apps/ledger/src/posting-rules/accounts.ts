/**
 * The ledger's chart of accounts. Accounts are opened on first use and identified by a code that
 * names their kind and scope, plus a currency: `psp_receivable:stripe` in USD is one account.
 *
 * | kind              | type      | scope     | meaning                                              |
 * |-------------------|-----------|-----------|------------------------------------------------------|
 * | psp_receivable    | asset     | provider  | what a PSP owes PayFlow for captured payments        |
 * | merchant_payable  | liability | merchant  | what PayFlow owes a merchant (captures − fees − refunds) |
 * | platform_fees     | revenue   | merchant  | fees PayFlow earned from a merchant                  |
 * | psp_suspense      | liability | provider  | money a PSP holds that is owed back to a customer: a |
 * |                   |           |           | late success PayFlow had failed, until its reversal  |
 *
 * Authorizations are held as pending (two-phase) amounts on psp_receivable and merchant_payable:
 * they show as pending, never as available, until a capture or a void settles them.
 */
export const ACCOUNT_KINDS = {
  psp_receivable: { type: 'asset', scope: 'provider' },
  merchant_payable: { type: 'liability', scope: 'merchant' },
  platform_fees: { type: 'revenue', scope: 'merchant' },
  psp_suspense: { type: 'liability', scope: 'provider' },
} as const;

export type AccountKind = keyof typeof ACCOUNT_KINDS;
export type AccountType = 'asset' | 'liability' | 'revenue' | 'expense';

export interface AccountKey {
  kind: AccountKind;
  /** The merchant or provider the account belongs to. */
  owner: string;
  currency: string;
}

export function accountCode(key: Pick<AccountKey, 'kind' | 'owner'>): string {
  return `${key.kind}:${key.owner}`;
}

/** One identity per account: code and currency. */
export function accountIdentity(key: AccountKey): string {
  return `${accountCode(key)}/${key.currency}`;
}

export function accountTypeOf(kind: AccountKind): AccountType {
  return ACCOUNT_KINDS[kind].type;
}

/** Whether an account belongs to a merchant or to a provider (the accounts table keeps one of them). */
export function accountScopeOf(kind: AccountKind): 'merchant' | 'provider' {
  return ACCOUNT_KINDS[kind].scope;
}

export const pspReceivable = (provider: string, currency: string): AccountKey => ({
  kind: 'psp_receivable',
  owner: provider,
  currency,
});
export const merchantPayable = (merchant: string, currency: string): AccountKey => ({
  kind: 'merchant_payable',
  owner: merchant,
  currency,
});
export const platformFees = (merchant: string, currency: string): AccountKey => ({
  kind: 'platform_fees',
  owner: merchant,
  currency,
});
export const pspSuspense = (provider: string, currency: string): AccountKey => ({
  kind: 'psp_suspense',
  owner: provider,
  currency,
});
