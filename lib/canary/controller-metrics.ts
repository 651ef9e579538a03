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

/**
 * For an Argo Rollouts AnalysisTemplate: the requests to `{{args.service}}` (a cluster host name)
 * served by pods of Istio version `{{args.canary-version}}` — Istio's canonical revision, which
 * it takes from the pods' `app.kubernetes.io/version` label (the image tag): the new template's
 * pods are told apart from the stable ones without relabelling on promotion. Exactly the
 * command's selector; `window` is a Prometheus range.
 */
export function canaryQueriesForArgoRollouts(window: string) {
  return istioRequestQueries(canarySelector('{{args.service}}', '{{args.canary-version}}'), window);
}
