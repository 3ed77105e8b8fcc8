export * from './accounts';
export * from './plan-entry';
export * from './planned-entry';
export * from './posting-rules';
