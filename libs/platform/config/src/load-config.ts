import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/** A configuration problem; its message names every offending variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const constraints = Object.values(error.constraints ?? {});
    const what = error.value === undefined ? 'is required' : constraints.join(', ');
    return [`${error.property} ${what}`];
  });
}

/**
 * Reads a typed configuration class from the environment and validates it. Defaults are the
 * property initialisers of the class. Throws ConfigError naming each missing or malformed variable.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new schema() as Record<string, unknown>;
  const present: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[key] = value;
  }
  const config = plainToInstance(schema, { ...defaults, ...present }, { excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  return config;
}

/**
 * Loads the configuration or stops the process with a message naming the variable: services fail
 * fast on bad configuration instead of starting half-configured.
 */
export function loadConfigOrExit<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
