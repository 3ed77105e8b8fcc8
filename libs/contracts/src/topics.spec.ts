import { ALL_TOPICS, deadLetterTopicOf, TOPICS } from './topics';

describe('topics', () => {
  it('names one versioned topic per producer', () => {
    expect(TOPICS.intents).toBe('payflow.intents.v1');
    expect(ALL_TOPICS).toHaveLength(7);
    expect(new Set(ALL_TOPICS).size).toBe(7);
    for (const topic of ALL_TOPICS) expect(topic).toMatch(/^payflow\.[a-z]+\.v\d+$/);
  });

  it('derives the dead-letter topic', () => {
    expect(deadLetterTopicOf(TOPICS.ledger)).toBe('payflow.ledger.v1.dlq');
  });
});
