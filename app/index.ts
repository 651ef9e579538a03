import * as path from 'path';
import { App } from 'cdk8s';
import { environments } from '../config';
import { buildArgoCdApplications } from './argocd';
import { buildEcommercePlatform } from './ecommerce-platform';

export { buildEcommercePlatform, serviceProps } from './ecommerce-platform';
export { buildArgoCdApplications } from './argocd';

/**
 * The default app: one output directory per environment, plus `argocd/` with the Applications.
 * `previousOutput`: the output written before (default: `DIST_DIR`, else the project's dist/), from
 * which each service keeps its last configurations for rollback.
 */
export function buildDefaultApps(previousOutput: string = process.env.DIST_DIR ?? path.join(__dirname, '..', 'dist')): Record<string, App> {
  const apps: Record<string, App> = {};
  for (const env of environments) apps[env.name] = buildEcommercePlatform(env, undefined, undefined, previousOutput);
  apps.argocd = buildArgoCdApplications(environments);
  return apps;
}
