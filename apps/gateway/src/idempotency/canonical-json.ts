/**
 * JSON with object keys sorted at every depth and no whitespace, so two bodies that mean the same
 * thing (`{"a":1,"b":2}` and `{ "b": 2, "a": 1 }`) have one text, and so one fingerprint. Array
 * order is kept: it is meaningful. Values are what JSON.parse can produce; `undefined` members are
 * dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; inside an array JSON writes null.
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}
