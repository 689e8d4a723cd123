import type { presentEvent } from '../../src/events/list-events.js';

/** One event exactly as GET /api/events and the export return it: the type every end-to-end test reads. */
export type StoredEvent = ReturnType<typeof presentEvent>;
