/**
 * Applies several property decorators as one. class-validator has no `applyDecorators`, and the
 * contract's composite rules (an amount, a nullable string, …) must read the same everywhere.
 */
export function composeDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (const decorate of decorators) decorate(target, propertyKey);
  };
}
