import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '@payflow/platform/http';

/**
 * The body of an action that takes no parameters (`/pay`, `/void`, `/mark_uncollectible`): absent or
 * `{}`; any field is refused naming it, as a DTO would (an empty DTO class cannot say so: class-validator
 * refuses a class without rules outright). The route declares the body as a plain object, so the
 * global validation pipe leaves it to this one.
 */
@Injectable()
export class EmptyBodyPipe implements PipeTransform<unknown, Record<string, never>> {
  transform(body: unknown): Record<string, never> {
    if (body === undefined || body === null) return {};
    const [first] = Object.keys(body as object);
    if (first !== undefined)
      throw ApiError.invalidParam(first, `property ${first.slice(0, 80)} should not exist`);
    return {};
  }
}
