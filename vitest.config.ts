import { defineConfig } from 'vitest/config';

const testbedTier = { testTimeout: 120_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    reporters: ['default', './test/reporters/summary.ts'],
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          setupFiles: ['./test/setup-unit.ts'],
        },
      },
      {
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          testTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['./test/testbed/global-setup.ts'],
          setupFiles: ['./test/testbed/setup-integration.ts'],
          ...testbedTier,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['./test/testbed/global-setup.ts'],
          setupFiles: ['./test/testbed/setup-integration.ts'],
          ...testbedTier,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./test/testbed/global-setup.ts'],
          setupFiles: ['./test/testbed/setup-integration.ts'],
          ...testbedTier,
        },
      },
    ],
  },
});
