import * as path from 'path';
import { App } from 'cdk8s';
import { EnvironmentConfig, environments } from '../config';
import { buildArgoCdApplications } from './argocd';
import { buildEcommercePlatform } from './ecommerce-platform';
import { fleetOutputs, RenderedOutput } from './fleet';

export { buildEcommercePlatform, serviceProps } from './ecommerce-platform';
export { buildArgoCdApplications } from './argocd';
export { fleetOutputs, withOverrides } from './fleet';

/**
 * The default app: one output directory per environment (per cluster where a fleet's clusters
 * differ: `<env>/<cluster>`), plus `argocd/` with the AppProject and the Applications.
 * `previousOutput`: the output written before (default: `DIST_DIR`, else the project's dist/), from
 * which each service keeps its last configurations for rollback.
 */
export function buildDefaultApps(previousOutput: string = process.env.DIST_DIR ?? path.join(__dirname, '..', 'dist'), envs: readonly EnvironmentConfig[] = environments): Record<string, App> {
  const apps: Record<string, App> = {};
  const outputs: RenderedOutput[] = [];
  for (const env of envs) {
    for (const output of fleetOutputs(env)) {
      apps[output.dir] ??= buildEcommercePlatform(output.env, undefined, undefined, previousOutput, output.dir);
      outputs.push({ ...output, app: apps[output.dir] });
    }
  }
  apps.argocd = buildArgoCdApplications(envs, new App(), outputs);
  return apps;
}
