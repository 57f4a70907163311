import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take minutes, longest first, so that the two workers start on them and the short
 * files fill in after (longest-first packing). Without a timing cache (a fresh CI machine) vitest
 * orders by file size, which put the fuzz halves, small files that run for minutes, last.
 */
const LONGEST_FIRST = ['kill9', 'masking', 'access', 'fuzz-1', 'fuzz-2', 'authz-matrix', 'certificates'];
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(`/${name}.test.ts`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

// Unit, standards and integration tests. The browser tests live in e2e/ with their own config.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'standards/**/*.test.ts', 'apps/server/test/**/*.test.ts'],
    // the demo world seeded once for the run (test/global-setup.ts); each test server starts from a copy
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // three workers on two cores: the tests wait on PostgreSQL's fsync, child servers and restarts
    // half the time (one process per core idled at ~50 %)
    maxWorkers: 3,
    sequence: { sequencer: LongestFirst },
  },
});
