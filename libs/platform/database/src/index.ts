export * from './data-source';
export * from './retry-serializable';
