export * from './base-config';
export * from './env-decorators';
export * from './load-config';
export * from './services';
export * from './duration';
