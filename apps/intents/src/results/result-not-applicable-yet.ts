/**
 * A result for an intent that has not reached the step it answers (the request's transaction is
 * still committing). Thrown so the inbox transport retries the message with backoff instead of
 * dropping it; past the retries it is dead-lettered, which only a broken orchestrator causes.
 */
export class ResultNotApplicableYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultNotApplicableYet';
  }
}
