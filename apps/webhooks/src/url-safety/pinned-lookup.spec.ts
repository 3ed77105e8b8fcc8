import { pinnedLookup } from './pinned-lookup';

describe('pinnedLookup', () => {
  const lookup = pinnedLookup([
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1::1', family: 6 },
  ]);

  it('answers only the checked addresses, whatever the host name', () => {
    const all = jest.fn();
    lookup('rebinding.example.com', { all: true }, all);
    expect(all).toHaveBeenCalledWith(null, [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    const one = jest.fn();
    lookup('rebinding.example.com', { family: 6 }, one);
    expect(one).toHaveBeenCalledWith(null, '2606:2800:220:1::1', 6);
  });

  it('fails rather than guess when no checked address has the family asked for', () => {
    const callback = jest.fn();
    pinnedLookup([{ address: '93.184.216.34', family: 4 }])('x', { family: 6 }, callback);
    expect(callback.mock.calls[0][0]).toMatchObject({ code: 'ENOTFOUND' });
  });
});
