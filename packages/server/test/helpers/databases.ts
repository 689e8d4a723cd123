import { inject } from 'vitest';

/** The databases a storage suite runs on: SQLite and PostgreSQL (global-setup.ts provides it or fails the run). */
export function databases(): { name: string; url: string | undefined }[] {
  const pgUrl = inject('pgUrl');
  if (pgUrl === null) throw new Error('this suite runs on PostgreSQL too: run it in the server or gateway project (see vitest.config.ts)');
  return [
    { name: 'sqlite', url: undefined },
    { name: 'postgres', url: pgUrl },
  ];
}
