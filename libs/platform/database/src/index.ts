export * from './data-source';
export * from './retry-serializable';
export * from './pg-channel-listener';
export * from './infrastructure-errors';
export * from './queryable';
export * from './chunked-pruner';
