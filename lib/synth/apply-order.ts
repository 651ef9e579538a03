import { IConstruct } from 'constructs';

const ORDER = new WeakMap<IConstruct, number>();

/**
 * Where a chart's file sorts in its output directory. `kubectl apply -f <dir>` reads files in
 * name order, so a chart with a lower number (the Namespace) is created before the charts that
 * live in it. Files are named `<NN>-<chart id>.yaml`.
 */
export const ApplyOrder = {
  /** Namespaces, quotas, baseline policies. */
  NAMESPACE: 0,
  /** Secret stores and issuers the workloads' ExternalSecrets and Certificates name. */
  SECRET_STORES: 10,
  /**
   * Jobs that must run before the services roll out (database migrations): `kubectl apply -f <dir>`
   * creates them before the services' files.
   */
  MIGRATION: 40,
  /** Everything living in a namespace (the default). */
  WORKLOAD: 50,
  /** Objects that only make sense once workloads exist (cluster-wide routing). */
  ROUTING: 80,

  /** Sets the order of `chart`. */
  set(chart: IConstruct, order: number): void {
    ORDER.set(chart, order);
  },

  /** The order of `chart`. */
  of(chart: IConstruct): number {
    return ORDER.get(chart) ?? ApplyOrder.WORKLOAD;
  },
};
