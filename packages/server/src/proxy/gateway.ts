import type { AppContext } from '../context.js';
import { DatabaseHealth, ProjectProfiles } from './project-profiles.js';
import { UsageBuffer } from './usage-buffer.js';

/** The proxy's per-process state: the profile cache and the usage buffer. */
export interface Gateway {
  ctx: AppContext;
  profiles: ProjectProfiles;
  usage: UsageBuffer;
  health: DatabaseHealth;
}

export function createGateway(ctx: AppContext): Gateway {
  const health = new DatabaseHealth();
  return { ctx, health, profiles: new ProjectProfiles(ctx, health), usage: new UsageBuffer(ctx, 'proxy', health) };
}
