import { configDefaults, defineConfig } from 'vitest/config';

// Four suites: unit tests next to the code, end-to-end tests that run the built programs against
// real servers, smithd's end-to-end tests again on PostgreSQL + S3, and the reliability suite
// (load, crashes, faults, hostile input).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['packages/*/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The same API tests on the production backends: each test smithd gets a fresh database on
          // one PostgreSQL server and a fresh prefix in one s3rver bucket, started once for the run.
          // serve.test.ts is about the embedded defaults, backends*.test.ts start servers of their own.
          name: 'e2e-postgres-s3',
          include: ['packages/smithd/test/**/*.test.ts'],
          exclude: [
            ...configDefaults.exclude,
            'packages/smithd/test/serve.test.ts',
            'packages/smithd/test/backends*.test.ts',
          ],
          env: { DEPLOYSMITH_TEST_BACKEND: 'postgres-s3' },
          globalSetup: ['packages/testkit/src/postgres-s3-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['reliability/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
