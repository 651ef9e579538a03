// Public API of the library. Everything a cdk8s app needs is exported from here.

// Core: validation, labels, errors
export * from './core/errors';
export * from './core/labels';
export * from './core/image';
export * from './core/quantity';
export * from './core/warnings';
export { defaultCacheDir } from './core/cache-dir';
export * as validators from './core/validators';

// Platform: namespace and the registry of services
export * from './platform/platform-namespace';
export * from './platform/service-registry';

// One service
export * from './microservice/microservice-chart';
export * from './workload/probe';
export * from './workload/workload-options';
export * from './workload/service-deployment';
// Every workload kind renders its pods through one hardened builder.
export * from './workload/pod-template';
export * from './workload/volumes';
export * from './workload/downward-api';
export * from './workload/job-template';
export * from './workload/service-job';
export * from './workload/service-cron-job';
export * from './workload/service-migration';
export * from './workload/pod-workload';
export * from './workload/service-stateful-set';
export * from './workload/service-daemon-set';
export * from './workload/service-volume-claim';
export * from './workload/service-scheduled-task';
export * from './workload/job-network-policy';
export * from './config/service-config-map';
export * from './config/config-map-history';
export * from './secrets/secret-source';
export * from './secrets/plaintext-guard';
export * from './secrets/secret-value-rules';
export * from './secrets/secret-store-provider';
export * from './secrets/secret-store';
export * from './secrets/cluster-secret-store';
export * from './certificates/tls-certificate';
export * from './networking/service-network-policy';
export * from './networking/service-ingress';
export * from './autoscaling/scaling-behavior';
export * from './autoscaling/resource-hpa';
export * from './availability/service-disruption-budget';
export * from './rbac/api-access-rule';
export * from './rbac/service-api-access';
export * from './rbac/read-only-cluster-role';

// GitOps
export * from './gitops/argocd-application';
export * from './gitops/argocd-project';
export * from './gitops/argocd-application-set';
export * from './gitops/rendered-scope';
export * from './gitops/sync-waves';

// Synthesis and validation of the output
export * from './synth/apply-order';
export * from './synth/render';
export * from './synth/publish';
export * from './synth/synthesize';
export * from './synth/yaml-1-1';
export * from './validation/finding';
export * from './schemas/schema-sources';
export * from './schemas/source-resolver';
export * from './schemas/schema-locations';
export * from './core/load-manifests';
export * from './validation/yaml-readings';
export * from './validation/schema-registry';
export * from './validation/schema-check';
export * from './validation/exemptions';
export * from './validation/validation-config';
export * from './validation/no-plaintext-secret-check';
export * from './validation/secret-value-check';
export * from './validation/pod-templates';
export * from './validation/policy-checks';
export * from './validation/metadata-check';
export * from './validation/cross-reference-check';
export * from './validation/monitoring-reference-check';
export * from './validation/platform-reference-check';
export * from './validation/default-checks';
export * from './validation/semantic/cron';
export * from './validation/semantic/semantic-check';
export * from './validation/semantic/lint-checks';
export * from './validation/istio/istio-check';
export * from './validation/istio/host-conflict-check';
export { re2Problem, MAX_REGEX_LENGTH } from './validation/istio/re2';

// Traffic management (Istio)
export * from './traffic/traffic-policy';
export * from './traffic/http-route';
export * from './traffic/canary-route';
export * from './traffic/service-subsets';
export * from './microservice/service-tracks';
export * from './traffic/istio-gateway';
export * from './traffic/gateway-route';
export * from './traffic/host-claims';
export * from './traffic/external-service-entry';

// Progressive delivery
export * from './canary/canary-state';
export * from './traffic/nginx-canary-ingress';

// Autoscaling on application metrics, queues and resource recommendations
export * from './autoscaling/prometheus-metric';
export * from './autoscaling/prometheus-adapter-rules';
export * from './autoscaling/hpa-metric';
export * from './autoscaling/prometheus-hpa';
export * from './autoscaling/keda-trigger';
export * from './autoscaling/keda-scaler';
export * from './autoscaling/keda-redis-scaler';
export * from './autoscaling/vertical-pod-autoscaler';

// Mesh security
export * from './mesh/mesh-workload-options';
export * from './mesh/mesh-security';
export * from './mesh/authorization-evaluator';
export * from './canary/canary-analysis';
export * from './canary/canary-auto';
export * from './canary/controller-metrics';
export * from './canary/git-repository';
export * from './canary/progress-line';
export * from './traffic/flagger-canary';
export * from './traffic/argo-rollout';
export * from './traffic/delivery-engine';
export * from './diff';

// Observability: ServiceMonitor/PodMonitor, SLO rules, canary-gate defaults and Grafana dashboards
export * from './observability/service-slo';
export * from './observability/slo-prometheus-rule';
export * from './observability/service-monitor';
export * from './observability/pod-monitor';
export * from './observability/service-dashboard';
export * from './observability/service-monitoring';
