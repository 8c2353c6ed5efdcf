import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A running PostgreSQL server for this test run; tests create their own databases on it. */
    postgresUrl: string;
  }
}

/** One PostgreSQL server per test run; every test that needs one makes its own database. */
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres();
  project.provide('postgresUrl', postgres.url);
  return () => postgres.stop();
}
