/** Stripe's list object (API.md), `url` the public path of the list. */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** A whole list in one page (an invoice has a handful of attempts: no paging). */
export function wholeList<T>(data: T[], url: string): ListObject<T> {
  return { object: 'list', data, has_more: false, url };
}
