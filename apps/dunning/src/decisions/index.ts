// Dunning's pure decisions (no I/O): the service loads the case, calls these and stores the result.
export * from './anchor';
export * from './decide';
export * from './dunning-settings';
