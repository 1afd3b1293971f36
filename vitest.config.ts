import { defineConfig } from 'vitest/config';

// Tests import packages by name; the `@qtp/source` condition resolves them to `src/`
// so the suite runs without a build.
export default defineConfig({
  resolve: { conditions: ['@qtp/source'] },
  ssr: { resolve: { conditions: ['@qtp/source'] } },
  test: {
    // Makes the run's directory for shared Redis, RabbitMQ and PostgreSQL servers, boots each
    // in its own long-lived process when a test first asks, and stops them when the run ends.
    globalSetup: ['packages/test-services/src/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    // A hook that waits for a shared server's first boot on a loaded machine takes tens of seconds.
    hookTimeout: 120_000,
  },
});
