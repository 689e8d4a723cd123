import type { AppContext } from '../context.js';
import { DatabaseHealth, ProjectProfiles } from './project-profiles.js';
import { UsageBuffer } from './usage-buffer.js';

/** The proxy's per-process state: the profile cache, the usage buffer, and the models behind deployment names. */
export interface Gateway {
  ctx: AppContext;
  profiles: ProjectProfiles;
  usage: UsageBuffer;
  health: DatabaseHealth;
  deployments: DeployedModels;
}

const MAX_DEPLOYMENTS = 10_000;

/**
 * The model each project's deployment (an Azure deployment named `prod-chat`) answered with
 * last, learned from its answers: a hard budget estimates a deployment's next call at that
 * model's price, and finds its recent calls, stored under that model. Until a deployment has
 * answered once in this process, its name stands for the model.
 */
export class DeployedModels {
  private readonly models = new Map<string, string>();

  modelOf(projectId: string, deployment: string): string | undefined {
    return this.models.get(`${projectId}\u0000${deployment}`);
  }

  learn(projectId: string, deployment: string, model: string): void {
    if (this.models.size >= MAX_DEPLOYMENTS) this.models.clear();
    this.models.set(`${projectId}\u0000${deployment}`, model);
  }
}

export function createGateway(ctx: AppContext): Gateway {
  const health = new DatabaseHealth();
  return { ctx, health, profiles: new ProjectProfiles(ctx, health), usage: new UsageBuffer(ctx, 'proxy', health), deployments: new DeployedModels() };
}
