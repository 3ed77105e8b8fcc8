// Dunning's pure decisions (no I/O): the service loads the case, calls these and stores the result.
export * from './anchor';
export * from './decide';
export * from './dunning-settings';
export { DEFAULT_NETWORK_LIMITS, earliestWithinBudget, type CardAuthorization, type NetworkLimits } from '../budgets/budget-rules';
