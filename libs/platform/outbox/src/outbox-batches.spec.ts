import { OutgoingRecord, recordBytes, takeBatch, topicMessagesOf } from './outbox-batches';

function record(id: string, topic: string, valueBytes: number): OutgoingRecord {
  return { id, topic, message: { key: 'k', value: 'x'.repeat(valueBytes), headers: {} } };
}

describe('takeBatch', () => {
  it('takes rows oldest first while their bytes fit, leaving the rest for the next request', () => {
    const records = [record('1', 't', 400), record('2', 't', 400), record('3', 't', 400)];

    expect(takeBatch(records, 1_000).map((r) => r.id)).toEqual(['1', '2']);
  });

  it('takes every row when all fit', () => {
    const records = [record('1', 't', 10), record('2', 't', 10)];

    expect(takeBatch(records, 1_000)).toHaveLength(2);
  });

  it('sends a row larger than the bound alone rather than never', () => {
    const records = [record('1', 't', 5_000), record('2', 't', 10)];

    expect(takeBatch(records, 1_000).map((r) => r.id)).toEqual(['1']);
  });

  it('counts keys and headers as well as values', () => {
    expect(recordBytes({ key: 'ab', value: 'cde', headers: { h: 'xyz' } })).toBe(2 + 3 + 1 + 3);
  });
});

describe('topicMessagesOf', () => {
  it('groups by topic and keeps each topic in row order', () => {
    const grouped = topicMessagesOf([record('1', 'a', 1), record('2', 'b', 2), record('3', 'a', 3)]);

    expect(grouped.map((g) => [g.topic, g.messages.map((m) => (m.value as string).length)])).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });
});
