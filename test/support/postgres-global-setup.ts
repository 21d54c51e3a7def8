/**
 * Global setup of the `integration-pg` project: the PostgreSQL server its tests run on. With
 * `PLATFORM_TEST_DATABASE_URL` set (`.ci/run` starts a cluster and sets it), that server; otherwise
 * a throwaway cluster of Debian's PostgreSQL in a temp folder on a free port (postgres-cluster.ts),
 * stopped and removed at the end. Tests get the URL through `inject('postgresUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { postgresBin, startTemporaryPostgres } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.PLATFORM_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  if (!postgresBin()) throw new Error('integration-pg: PostgreSQL not found. Install Debian\'s postgresql package (.ci/run does) or set PLATFORM_TEST_DATABASE_URL.');
  const cluster = await startTemporaryPostgres();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
