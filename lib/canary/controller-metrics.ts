import { canarySelector, istioRequestQueries } from './canary-analysis';

/*
 * The canary metrics of `npm run canary` (lib/canary/canary-analysis.ts), instantiated for the
 * controllers that run canaries in the cluster: the same PromQL, with the controller's own way of
 * naming the canary's requests.
 */

/**
 * For a Flagger MetricTemplate: the canary Deployment is Flagger's `{{ target }}` in
 * `{{ namespace }}` (the stable pods run as `<target>-primary`), the range is the metric's
 * `{{ interval }}`.
 */
export function canaryQueriesForFlagger() {
  return istioRequestQueries('reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"', '{{ interval }}');
}

/** The Istio version label (canonical revision) Argo Rollouts gives the canary's pods. */
export const ROLLOUT_CANARY_REVISION = 'canary';
/** The Istio version label (canonical revision) Argo Rollouts gives the stable pods. */
export const ROLLOUT_STABLE_REVISION = 'stable';

/**
 * For an Argo Rollouts AnalysisTemplate: the canary's pods carry the canonical revision
 * `canary` (the Rollout's canaryMetadata), so they are the requests to `{{args.service}}` (the
 * service's cluster host name) with `destination_version="canary"`, exactly the command's
 * selector; `window` is a Prometheus range.
 */
export function canaryQueriesForArgoRollouts(window: string) {
  return istioRequestQueries(canarySelector('{{args.service}}', ROLLOUT_CANARY_REVISION), window);
}
