import { App, Chart } from 'cdk8s';
import { ArgoCdApplication } from '../lib';
import { EnvironmentConfig, platform } from '../config';

/** One Argo CD Application per environment, each syncing `dist/<env>`. Applied once into the argocd namespace. */
export function buildArgoCdApplications(environments: readonly EnvironmentConfig[], app: App = new App()): App {
  const chart = new Chart(app, 'applications', { disableResourceNameHashes: true });
  for (const env of environments) {
    new ArgoCdApplication(chart, env.name, {
      name: `${platform.partOf}-${env.name}`,
      repoUrl: platform.gitRepoUrl,
      targetRevision: platform.gitRevision,
      path: `dist/${env.name}`,
      destinationNamespace: env.namespace,
    });
  }
  return app;
}
