import * as core from '@qtp/core';
import * as cache from '@qtp/core/cache';
import * as config from '@qtp/core/config';
import * as observability from '@qtp/core/observability';
import * as repository from '@qtp/core/repository';
import * as resilience from '@qtp/core/resilience';
import { describe, expect, it } from 'vitest';

describe('@qtp/core public entries', () => {
  // A changed list is a changed public API: review it and add a changeset.
  it.each([
    ['@qtp/core', core],
    ['@qtp/core/cache', cache],
    ['@qtp/core/config', config],
    ['@qtp/core/observability', observability],
    ['@qtp/core/repository', repository],
    ['@qtp/core/resilience', resilience],
  ])('%s exports exactly the reviewed names', (_name, entry) => {
    expect(Object.keys(entry).sort()).toMatchSnapshot();
  });
});
