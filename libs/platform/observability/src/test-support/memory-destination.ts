import { EventEmitter } from 'node:events';
import type { DestinationStream } from 'pino';

/**
 * A pino destination kept in memory, for tests: every line parsed, raw text kept for "never
 * contains" assertions, and `waitFor` to await a line written asynchronously (pino-http logs when the
 * response finishes) without sleeping.
 */
export class MemoryDestination implements DestinationStream {
  readonly raw: string[] = [];
  readonly lines: Record<string, unknown>[] = [];
  private readonly written = new EventEmitter();

  write(line: string): void {
    this.raw.push(line);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    this.lines.push(parsed);
    this.written.emit('line', parsed);
  }

  get text(): string {
    return this.raw.join('');
  }

  waitFor(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const found = this.lines.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (line: Record<string, unknown>) => {
        if (!matches(line)) return;
        this.written.off('line', listener);
        resolve(line);
      };
      this.written.on('line', listener);
    });
  }
}
