import { App } from 'cdk8s';
import { environments } from '../config';
import { buildArgoCdApplications } from './argocd';
import { buildEcommercePlatform } from './ecommerce-platform';

export { buildEcommercePlatform, serviceProps } from './ecommerce-platform';
export { buildArgoCdApplications } from './argocd';

/** The default app: one output directory per environment, plus `argocd/` with the Applications. */
export function buildDefaultApps(): Record<string, App> {
  const apps: Record<string, App> = {};
  for (const env of environments) apps[env.name] = buildEcommercePlatform(env);
  apps.argocd = buildArgoCdApplications(environments);
  return apps;
}
