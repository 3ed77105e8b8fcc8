import { adyenPayflowIds, parseAdyenReference } from './payflow-reference';

describe('PayFlow references', () => {
  it.each([
    ['pi_1:att_2', { intentId: 'pi_1', attemptId: 'att_2' }],
    ['att_only', { intentId: null, attemptId: 'att_only' }],
    [':att', { intentId: null, attemptId: ':att' }],
    ['pi_1:', { intentId: null, attemptId: 'pi_1:' }],
    [undefined, { intentId: null, attemptId: null }],
  ])('parses %s', (reference, expected) => {
    expect(parseAdyenReference(reference)).toEqual(expected);
  });

  it('prefers the signed reference, then metadata, then merchantOrderReference', () => {
    expect(adyenPayflowIds('pi_1:att_2', { payflow_intent_id: 'pi_x', payflow_attempt_id: 'att_x' })).toEqual(
      {
        intentId: 'pi_1',
        attemptId: 'att_2',
      },
    );
    expect(adyenPayflowIds('att_2', { payflow_intent_id: 'pi_x', payflow_attempt_id: 'att_x' })).toEqual({
      intentId: 'pi_x',
      attemptId: 'att_x',
    });
    expect(adyenPayflowIds('att_2', {}, 'pi_order')).toEqual({ intentId: 'pi_order', attemptId: 'att_2' });
  });
});
