import { App } from 'cdk8s';
import { IN_CLUSTER_SERVER, RESOURCE_AUTOSCALING_DEFAULTS } from '../lib';
import { ClusterConfig, EnvironmentConfig, ServiceEnvironmentSettings, ServiceName, ServiceScalingSettings } from '../config';

/** One output directory of an environment and where it is deployed. */
export interface FleetOutput {
  /** The environment, with the cluster's overrides applied. */
  readonly env: EnvironmentConfig;
  /** Output directory under dist/: `<env>` or `<env>/<cluster>`. */
  readonly dir: string;
  /** The cluster, when the environment lists clusters. */
  readonly cluster?: ClusterConfig;
  /** API server it is deployed to. */
  readonly server: string;
}

/** An output with its rendered app. */
export interface RenderedOutput extends FleetOutput {
  readonly app: App;
}

/**
 * Where an environment is deployed: `dist/<env>` on Argo CD's own cluster, or, for a fleet, per
 * cluster — clusters with overrides render their own `dist/<env>/<cluster>/`, the others share `dist/<env>/`.
 */
export function fleetOutputs(env: EnvironmentConfig): FleetOutput[] {
  if (!env.clusters || env.clusters.length === 0) return [{ env, dir: env.name, server: IN_CLUSTER_SERVER }];
  const names = new Set<string>();
  return env.clusters.map((cluster) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster.name) || names.has(cluster.name)) {
      throw new Error(`${env.name}: invalid clusters[].name ${JSON.stringify(cluster.name)}; allowed: a unique DNS label`);
    }
    names.add(cluster.name);
    return cluster.overrides
      ? { env: withOverrides(env, cluster), dir: `${env.name}/${cluster.name}`, cluster, server: cluster.server }
      : { env, dir: env.name, cluster, server: cluster.server };
  });
}

/** The environment as one cluster runs it: replica bounds and node labels overridden. */
export function withOverrides(env: EnvironmentConfig, cluster: ClusterConfig): EnvironmentConfig {
  const o = cluster.overrides ?? {};
  const bounds = <T extends { minReplicas: number; maxReplicas: number }>(b: T): T => ({
    ...b,
    ...(o.minReplicas !== undefined ? { minReplicas: o.minReplicas } : {}),
    ...(o.maxReplicas !== undefined ? { maxReplicas: o.maxReplicas } : {}),
  });
  const services = Object.fromEntries(Object.entries(env.services).map(([name, s]: [string, ServiceEnvironmentSettings]) => [name, {
    ...s,
    autoscaling: s.autoscaling === false ? false : bounds({ minReplicas: RESOURCE_AUTOSCALING_DEFAULTS.minReplicas, maxReplicas: RESOURCE_AUTOSCALING_DEFAULTS.maxReplicas, ...s.autoscaling }),
  }])) as Record<ServiceName, ServiceEnvironmentSettings>;
  const scaling = Object.fromEntries(Object.entries(env.scaling ?? {}).map(([name, s]: [string, ServiceScalingSettings | undefined]) => [name, {
    ...s,
    ...(s?.prometheus ? { prometheus: bounds(s.prometheus) } : {}),
    ...(s?.redisQueue ? { redisQueue: bounds(s.redisQueue) } : {}),
  }])) as EnvironmentConfig['scaling'];
  return {
    ...env,
    services,
    scaling,
    nodeSelector: o.nodeSelector ? { ...env.nodeSelector, ...o.nodeSelector } : env.nodeSelector,
  };
}
