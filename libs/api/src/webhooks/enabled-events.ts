import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { ENABLED_EVENT_CHOICES } from './merchant-event-types';

/** `enabled_events`: a non-empty list of merchant event types without repeats, or `["*"]`. */
export function IsEnabledEvents(): PropertyDecorator {
  return (target, propertyKey) => {
    IsArray({ message: '$property must be an array of event types' })(target, propertyKey);
    ArrayNotEmpty({ message: '$property must name at least one event type (or "*")' })(target, propertyKey);
    ArrayMaxSize(ENABLED_EVENT_CHOICES.length, {
      message: `$property must have at most ${ENABLED_EVENT_CHOICES.length} entries`,
    })(target, propertyKey);
    ArrayUnique(undefined, { message: '$property must not repeat an event type' })(target, propertyKey);
    IsIn(ENABLED_EVENT_CHOICES, {
      each: true,
      message: `$property must contain only ${ENABLED_EVENT_CHOICES.join(', ')}`,
    })(target, propertyKey);
  };
}
