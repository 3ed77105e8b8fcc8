/** What an owning service answered: passed on to the merchant as it is (status and JSON body). */
export class UpstreamResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
    /** Headers passed on to the merchant (only those listed in PASSED_BACK_HEADERS). */
    readonly headers: Record<string, string> = {},
  ) {}
}
