export { createApp } from './app.js';
export { type Config, loadConfig } from './config/config.js';
export type { AppContext, TenantContext } from './context.js';
export { migrateToLatest, openDatabase } from './db/database.js';
export { recordEvents } from './events/record-events.js';
export { type RunningServer, startServer } from './server.js';
