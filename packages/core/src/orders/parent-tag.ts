/** The prefix of the tag that names a child order's parent: `parent:<parentClientOrderId>`. */
export const PARENT_TAG_PREFIX = 'parent:';

/**
 * Returns the tag a child order of `parentClientOrderId` carries.
 *
 * @example
 * ```ts
 * import { parentTag } from '@qtp/core';
 * parentTag('twap-1'); // 'parent:twap-1'
 * ```
 */
export function parentTag(parentClientOrderId: string): string {
  return PARENT_TAG_PREFIX + parentClientOrderId;
}

/**
 * Returns the parent's id named by an order's tags (an order, its snapshot or any of its events
 * carry them), or `undefined` when the order is no execution algorithm's child.
 *
 * @example
 * ```ts
 * import { parentClientOrderIdOf } from '@qtp/core';
 * bus.subscribe('order.fill', (event) => {
 *   const parent = parentClientOrderIdOf(event.tags); // 'exec-P1a2b-1', or undefined
 * });
 * ```
 */
export function parentClientOrderIdOf(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    if (tag.startsWith(PARENT_TAG_PREFIX)) return tag.slice(PARENT_TAG_PREFIX.length);
  }
  return undefined;
}
