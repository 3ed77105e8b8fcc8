export * from './periods';
export * from './proration';
export * from './generate';
export * from './invariants';
export * from './canonical';
