import { ValidationError } from '@qtp/core';

/** The prefetch a consumer gets when it names none. */
export const DEFAULT_PREFETCH = 16;

/** The highest message priority. */
export const MAX_PRIORITY = 9;

/** Returns the priority, 0 when absent; throws a `ValidationError` outside 0 to 9. */
export function checkPriority(priority: number | undefined): number {
  if (priority === undefined) return 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) {
    throw new ValidationError('priority', `be an integer from 0 to ${MAX_PRIORITY}`, priority);
  }
  return priority;
}
