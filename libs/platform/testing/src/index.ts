export * from './test-infrastructure';
export * from './wait-for';
export * from './tcp-proxy';
