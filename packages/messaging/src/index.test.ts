import * as messaging from '@qtp/messaging';
import * as rabbitmq from '@qtp/messaging/rabbitmq';
import * as redis from '@qtp/messaging/redis';
import { describe, expect, it } from 'vitest';

describe('@qtp/messaging public entries', () => {
  // A changed list is a changed public API: review it and add a changeset.
  it.each([
    ['@qtp/messaging', messaging],
    ['@qtp/messaging/rabbitmq', rabbitmq],
    ['@qtp/messaging/redis', redis],
  ])('%s exports exactly the reviewed names', (_name, entry) => {
    expect(Object.keys(entry).sort()).toMatchSnapshot();
  });
});
