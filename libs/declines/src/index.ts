// Public surface of @payflow/declines: the decline classifier (DESIGN.md "Collections and dunning").
// Pure: no I/O, depends on @payflow/contracts only.
export * from './classification';
export * from './classify';
export * from './decline-table';
export type { DeclineRule, DeclineSection } from './table/decline-rule';
