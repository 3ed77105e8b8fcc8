import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { EventEnvelopeSchema, type EventEnvelope } from './envelope';
import { EVENT_DATA_SCHEMAS, type EventDataSchema } from './events/catalogue';

export type ValidateEventResult = { ok: true; event: EventEnvelope } | { ok: false; errors: string[] };

/** Schemas by event type; services with their own types pass an extended map. */
export type EventDataSchemas = Readonly<Record<string, EventDataSchema>>;

const VALIDATOR_OPTIONS: ValidatorOptions = {
  // Unknown fields are dropped, not refused: a newer producer may add fields (a compatible change
  // that keeps the schema_version) and older consumers must keep working.
  whitelist: true,
  forbidNonWhitelisted: false,
  // Every problem at once: a dead-lettered event should say everything that is wrong with it.
  stopAtFirstError: false,
  validationError: { target: false, value: true },
  // Every object validated here was first built from its schema class by `plainToInstance`, so the
  // guard against validating plain objects is moot; keeping it would refuse a schema without rules
  // (a type whose data is just `{}`).
  forbidUnknownValues: false,
};

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "amount must be an integer number" → "must be an integer number": the path names the field. */
function withoutPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** Flattens class-validator's tree into `path: message` lines, e.g. `data.postings[1].amount: …`. */
function formatErrors(errors: ValidationError[], parentPath: string, parentValue?: unknown): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = Array.isArray(parentValue)
      ? `${parentPath}[${error.property}]`
      : parentPath
        ? `${parentPath}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      lines.push(`${path}: ${withoutPropertyName(message, error.property)}`);
    }
    if (error.children?.length) lines.push(...formatErrors(error.children, path, error.value));
  }
  return lines;
}

/**
 * Validates an event as received from Kafka (already JSON-parsed): the envelope, then `data`
 * against the schema of its type. Synchronous and free of I/O, so a consumer can call it before
 * opening its transaction and dead-letter what fails.
 *
 * On success, `event` is a new object (the input is not modified) with unknown fields dropped,
 * absent correlation/causation ids read as null, and `data` an instance of its schema class.
 * On failure, `errors` lists every problem as `path: message`, e.g.
 * `data.intent.amount: must be an integer number`, or `unknown event type "x.y"`.
 */
export function validateEvent(
  raw: unknown,
  schemas: EventDataSchemas = EVENT_DATA_SCHEMAS,
): ValidateEventResult {
  if (!isJsonObject(raw)) return { ok: false, errors: ['event: must be a JSON object'] };

  const envelope = plainToInstance(EventEnvelopeSchema, raw);
  const errors = formatErrors(validateSync(envelope, VALIDATOR_OPTIONS), '');

  let data: object | undefined;
  const type = raw['type'];
  if (typeof type === 'string' && type !== '') {
    // `hasOwn`: a type such as "constructor" must not find Object.prototype's members.
    const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
    if (schema === undefined) {
      errors.push(`unknown event type "${type}"`);
    } else if (isJsonObject(raw['data'])) {
      data = plainToInstance(schema, raw['data']);
      errors.push(...formatErrors(validateSync(data, VALIDATOR_OPTIONS), 'data'));
    }
    // A `data` that is not an object was already reported by the envelope schema.
  }

  if (errors.length > 0 || data === undefined) return { ok: false, errors };
  return {
    ok: true,
    event: {
      id: envelope.id,
      type: envelope.type,
      schema_version: envelope.schema_version,
      source: envelope.source,
      aggregate_type: envelope.aggregate_type,
      aggregate_id: envelope.aggregate_id,
      aggregate_version: envelope.aggregate_version,
      merchant_id: envelope.merchant_id,
      occurred_at: envelope.occurred_at,
      correlation_id: envelope.correlation_id ?? null,
      causation_id: envelope.causation_id ?? null,
      data,
    },
  };
}
