import { affectedRowsOf, rowsOf } from './queryable';

describe('rowsOf', () => {
  it('reads the rows of TypeORM and pg results alike', () => {
    const rows = [{ id: 1 }, { id: 2 }];
    expect(rowsOf(rows)).toEqual(rows);
    expect(rowsOf([rows, 2])).toEqual(rows);
    expect(rowsOf({ rows, rowCount: 2 })).toEqual(rows);
    expect(rowsOf(undefined)).toEqual([]);
  });
});

describe('affectedRowsOf', () => {
  it('counts the rows an UPDATE or DELETE touched', () => {
    expect(affectedRowsOf([[], 7])).toBe(7);
    expect(affectedRowsOf({ rows: [], rowCount: 3 })).toBe(3);
    expect(affectedRowsOf([{ id: 1 }])).toBe(1);
  });
});
