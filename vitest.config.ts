import { defineConfig } from 'vitest/config';

// Four projects share one run (`npm test`). Integration and e2e tests cross process boundaries, so their global setup
// brings up real member clusters and moto (reusing a running environment) before any test starts.
const slow = { testTimeout: 180_000, hookTimeout: 900_000, fileParallelism: false };

export default defineConfig({
  test: {
    // Errors only from the functions' loggers, and no EMF lines on stdout (the adapter's tests turn them on).
    env: { NO_COLOR: '1', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    projects: [
      // Unit tests prove logic, not speed: on a loaded 2-core machine a 500-run property test can pass 5 s.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/setup/environment.ts'], ...slow } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/setup/environment.ts'], ...slow } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
