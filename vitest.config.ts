import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The vendored corpus sample is unpacked before any test reads it.
    globalSetup: ['test/helpers/unpackCorpus.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
