// Public surface of @payflow/declines: the decline classifier (DESIGN.md "Collections and dunning").
// Pure: no I/O, depends on @payflow/contracts only.
export * from './classification';
