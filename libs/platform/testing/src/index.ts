export * from './test-infrastructure';
export * from './wait-for';
