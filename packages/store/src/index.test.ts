import * as store from '@qtp/store';
import * as postgres from '@qtp/store/postgres';
import * as redis from '@qtp/store/redis';
import * as testing from '@qtp/store/testing';
import { describe, expect, it } from 'vitest';

describe('@qtp/store entries', () => {
  it('export exactly the reviewed names', () => {
    expect({
      main: Object.keys(store).sort(),
      postgres: Object.keys(postgres).sort(),
      redis: Object.keys(redis).sort(),
      testing: Object.keys(testing).sort(),
    }).toMatchSnapshot();
  });
});
