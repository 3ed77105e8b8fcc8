import type { GeneratedLine } from './generate';

export function canonicalLineJson(line: GeneratedLine): string {
  void line;
  throw new Error('not implemented');
}

export function linesHash(lines: readonly GeneratedLine[]): string {
  void lines;
  throw new Error('not implemented');
}
