/** What every benchmark receives: sizes and repetitions (tiny in the smoke test), and the shared platform. */
import type { ComposedConsole } from '../src-main/compose';
import type { BenchPlatform } from './fixture';

/** Sizes and repetitions of one bench run. */
export interface BenchConfig {
  /** Generated agents (the demo seed adds about 55 more). */
  users: number;
  /** Measured repetitions of the sync benchmarks (medians). */
  syncRuns: number;
  /** Measured delta syncs (medians), and the users changed on the platform before each. */
  deltaRuns: number;
  deltaChanges: number;
  /** Search queries (the mixed realistic set is cycled to this many). */
  searchQueries: number;
  /** Repetitions of each filtered-page query. */
  filteredRuns: number;
  /** Cold starts measured in Chromium. */
  coldStartRuns: number;
  /** Seconds of each autocannon run, and its connections. */
  loadSeconds: number;
  loadConnections: number;
  /** #9: accounts in the big PostgreSQL database, users in each (also the one account of the small one), measured rounds. */
  pgAccounts: number;
  pgUsersPerAccount: number;
  pgRounds: number;
  /** #10: rows of the CSV file the dry run reads, and rows applied. */
  csvRows: number;
  csvApplyRows: number;
  /** Progress lines (stderr). */
  log: (message: string) => void;
}

/** The full run: 100 000 users (and 1 000 000 on PostgreSQL for #9), bounded so that `npm run bench` stays under about 15 minutes on 2 cores. */
export const FULL_CONFIG: Omit<BenchConfig, 'log'> = {
  users: 100_000,
  syncRuns: 5,
  deltaRuns: 7,
  deltaChanges: 100,
  searchQueries: 200,
  filteredRuns: 40,
  coldStartRuns: 3,
  loadSeconds: 5,
  loadConnections: 50,
  pgAccounts: 1_000,
  pgUsersPerAccount: 1_000,
  pgRounds: 40,
  csvRows: 10_000,
  csvApplyRows: 1_000,
};

/** The state benchmarks share: the platform and, after the initial sync, a console with a full cache. */
export interface BenchContext {
  config: BenchConfig;
  platform: BenchPlatform;
  /** Left signed in with the full cache by the initial-sync benchmark (used by delta, search, filters). */
  synced: { console: ComposedConsole; dataDir: string } | null;
}
