import { inject } from 'vitest';

/** The databases a storage suite runs on: SQLite always, PostgreSQL when one is provided. */
export function databases(): { name: string; url: string | undefined; available: boolean }[] {
  const pgUrl = inject('pgUrl');
  return [
    { name: 'sqlite', url: undefined, available: true },
    { name: 'postgres', url: pgUrl ?? undefined, available: pgUrl !== null },
  ];
}
