/**
 * Settles with `work`, or rejects once `timeoutMs` has passed. The work itself is not cancelled (a
 * pool or socket owns it); readiness only stops waiting for it. The timer is unref'd so a pending
 * check never keeps the process alive.
 */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
