import { App, Chart } from 'cdk8s';
import { ArgoCdApplication, ArgoCdApplicationSet, ArgoCdProject } from '../lib';
import { EnvironmentConfig, platform } from '../config';
import { RenderedOutput } from './fleet';

/**
 * The platform's Argo CD objects, applied once into the argocd namespace: an AppProject derived
 * from every rendered output (it admits exactly their kinds, cluster-scoped objects and
 * namespaces), and per environment one Application syncing `dist/<env>`, or, for a fleet, an
 * ApplicationSet with one Application per cluster (or those Applications themselves, `fleetApplications`). Each is checked at synth against the project.
 */
export function buildArgoCdApplications(environments: readonly EnvironmentConfig[], app: App, outputs: readonly RenderedOutput[]): App {
  const chart = new Chart(app, 'applications', { disableResourceNameHashes: true });
  const project = ArgoCdProject.fromTargets(chart, 'project', {
    name: platform.partOf,
    description: `The ${platform.partOf} platform: ${environments.map((e) => e.name).join(', ')}`,
    sourceRepos: [platform.gitRepoUrl],
    targets: outputs.map((o) => ({ app: o.app, server: o.server, namespace: o.env.namespace })),
  });
  for (const env of environments) {
    const envOutputs = outputs.filter((o) => o.env.name === env.name);
    if (env.clusters && env.clusters.length > 0 && env.fleetApplications === 'Application') {
      for (const o of envOutputs) {
        new ArgoCdApplication(chart, `${env.name}-${o.cluster!.name}`, {
          name: `${platform.partOf}-${env.name}-${o.cluster!.name}`,
          repoUrl: platform.gitRepoUrl,
          targetRevision: platform.gitRevision,
          path: `dist/${o.dir}`,
          destinationNamespace: env.namespace,
          destinationServer: o.server,
          project,
          renders: o.app,
        });
      }
    } else if (env.clusters && env.clusters.length > 0) {
      new ArgoCdApplicationSet(chart, env.name, {
        name: `${platform.partOf}-${env.name}`,
        repoUrl: platform.gitRepoUrl,
        targetRevision: platform.gitRevision,
        destinationNamespace: env.namespace,
        project,
        clusters: envOutputs.map((o) => ({ name: o.cluster!.name, server: o.server, region: o.cluster!.region, path: `dist/${o.dir}`, renders: o.app })),
      });
    } else {
      const [output] = envOutputs;
      new ArgoCdApplication(chart, env.name, {
        name: `${platform.partOf}-${env.name}`,
        repoUrl: platform.gitRepoUrl,
        targetRevision: platform.gitRevision,
        path: `dist/${env.name}`,
        destinationNamespace: env.namespace,
        project,
        renders: output?.app,
      });
    }
  }
  return app;
}
