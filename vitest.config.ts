import { defineConfig } from 'vitest/config';

// Tests import packages by name; the `@qtp/source` condition resolves them to `src/`
// so the suite runs without a build.
export default defineConfig({
  resolve: { conditions: ['@qtp/source'] },
  ssr: { resolve: { conditions: ['@qtp/source'] } },
  test: {
    // Makes the run's directory for shared Redis, RabbitMQ and PostgreSQL servers, which tests
    // start on first use, and stops them when the run ends.
    globalSetup: ['packages/test-services/src/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
