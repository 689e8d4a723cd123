import type { AppContext } from '../context.js';
import { ProjectProfiles } from './project-profiles.js';
import { UsageBuffer } from './usage-buffer.js';

/** The proxy's per-process state: the profile cache and the usage buffer. */
export interface Gateway {
  ctx: AppContext;
  profiles: ProjectProfiles;
  usage: UsageBuffer;
}

export function createGateway(ctx: AppContext): Gateway {
  return { ctx, profiles: new ProjectProfiles(ctx), usage: new UsageBuffer(ctx, 'proxy') };
}
