import type {
  AntiAffinity, CanaryAnalysisThresholds, ServiceSloOptions, FaultOptions, ResourceAutoscalingOptions, ResourceBounds, ResourceOptions, RetryOptions, ScalingBehavior, SecretKeyRef,
  TrafficPolicyOptions, VpaUpdateMode,
} from '../lib';

/** The services of the default platform. */
export type ServiceName = 'user-service' | 'product-service' | 'order-service' | 'payment-service';

/** What one environment sets for one service (like a Helm values file's per-service block). */
export interface ServiceEnvironmentSettings {
  /**
   * Image tag deployed in this environment. Omitted for services under canary management:
   * their tags live in the environment's canary state file (`config/<env>.canary.json`).
   */
  readonly imageTag?: string;
  /** Optional digest that pins the tag's content. */
  readonly imageDigest?: string;
  /** Replica count when no autoscaler manages the service. */
  readonly replicas: number;
  /** Requests and limits. */
  readonly resources: ResourceOptions;
  /** CPU/memory autoscaling, or `false`. */
  readonly autoscaling: ResourceAutoscalingOptions | false;
}

/** Istio traffic settings of one service in one environment. */
export interface ServiceTrafficSettings {
  /** Steps of `npm run canary -- <service> next`. @default 10 → 25 → 50 → 75 → 100 */
  readonly canaryPlan?: number[];
  /** Bounds of `next --prometheus`: max error rate, max P99, window. @default from the service's SLO (`observability.slos`), else 1 %, 500 ms, 5m */
  readonly canaryAnalysis?: CanaryAnalysisThresholds;
  /** Requests with this header always go to the canary (testers), while a canary runs. */
  readonly canaryHeader?: { readonly name: string; readonly value: string };
  /** Served through the environment's Istio Gateway under this public host. */
  readonly publicHost?: string;
  /** Timeout and retries of every call to the service. */
  readonly timeout?: string;
  readonly retries?: RetryOptions;
  /** Connection pool, outlier detection (circuit breaking), load balancing. */
  readonly trafficPolicy?: TrafficPolicyOptions;
  /** Stricter policy for the canary subset. */
  readonly canaryPolicy?: TrafficPolicyOptions;
  /** Faults injected for requests carrying a header (chaos testing in non-production). */
  readonly faultInjection?: { readonly header: string; readonly value: string; readonly fault: FaultOptions };
}

/** Autoscalers of one service beyond the CPU/memory HPA (seed 000). */
export interface ServiceScalingSettings {
  /** HPA on Prometheus metrics: requests per second per pod and/or P95 latency of the Service. Replaces the CPU/memory HPA. */
  readonly prometheus?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly requestsPerSecondPerPod?: number;
    /** P95 latency target as a quantity of seconds, e.g. "500m". */
    readonly p95LatencySeconds?: string;
    readonly behavior?: ScalingBehavior;
  };
  /** KEDA on the length of a Redis list. Replaces the CPU/memory HPA. */
  readonly redisQueue?: {
    readonly address: string;
    readonly listName: string;
    readonly listLength: number;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly password?: SecretKeyRef;
    readonly fallbackReplicas?: number;
  };
  /** A VerticalPodAutoscaler. */
  readonly vpa?: { readonly updateMode: VpaUpdateMode; readonly minAllowed?: ResourceBounds; readonly maxAllowed?: ResourceBounds };
}

/** One environment: the typed equivalent of values-dev.yaml / values-prod.yaml. */
export interface EnvironmentConfig {
  /** Environment name; also the output directory `dist/<name>`. */
  readonly name: string;
  /** Namespace the platform runs in. */
  readonly namespace: string;
  /** LOG_LEVEL of every service. */
  readonly logLevel: string;
  /** NodePort for direct access in dev, ClusterIP behind the ingress in prod. */
  readonly serviceType: 'ClusterIP' | 'NodePort';
  /** Replica spreading over nodes. */
  readonly antiAffinity: AntiAffinity;
  /** Node labels pods must run on. */
  readonly nodeSelector?: Record<string, string>;
  /** `Always` re-pulls a moving dev tag; `IfNotPresent` for immutable release tags. */
  readonly imagePullPolicy: 'IfNotPresent' | 'Always';
  /** Suffix of public hosts: `user-api<suffix>`, e.g. "-dev.example.com" or ".example.com". */
  readonly hostSuffix: string;
  /** Ingress settings. */
  readonly ingress: { readonly clusterIssuer: string; readonly rateLimitRps: number };
  /** Backing services the apps connect to. */
  readonly backends: { readonly mysqlHost: string; readonly redisHost: string };
  /** SecretStore (in the environment's namespace) the ExternalSecrets read from. */
  readonly secretStore: string;
  /**
   * The Vault behind `secretStore`: KV engine mount path and the Kubernetes-auth role bound to the
   * store's ServiceAccount (`external-secrets-vault`); no token is stored anywhere.
   */
  readonly vault: { readonly server: string; readonly path: string; readonly role: string };
  /** Namespace quota. */
  readonly resourceQuota?: { readonly requestsCpu: string; readonly requestsMemory: string; readonly limitsCpu: string; readonly limitsMemory: string; readonly pods: number };
  /** Per-service settings. */
  readonly services: Record<ServiceName, ServiceEnvironmentSettings>;
  /** Autoscalers per service beyond the CPU/memory HPA. @default none */
  readonly scaling?: Partial<Record<ServiceName, ServiceScalingSettings>>;
  /** Zero-trust settings of the mesh (mTLS, authorization from the call graph, JWT, tracing). @default none */
  readonly meshSecurity?: {
    readonly mtls: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
    /** Authorization policies from the call graph, with a deny-all default. */
    readonly authorization: boolean;
    readonly jwt?: { readonly issuer: string; readonly jwksUri: string; readonly audiences?: string[]; readonly requiredClaims?: Record<string, string[]> };
    readonly tracingSamplingPercentage?: number;
  };
  /** Istio traffic management per service. @default none */
  readonly traffic?: Partial<Record<ServiceName, ServiceTrafficSettings>>;
  /** The Istio ingress Gateway of the environment (for services with a publicHost). */
  readonly gateway?: { readonly name: string; readonly credentialName: string };
  /**
   * Read-only API access (the seeds' readonly-role) for CI and monitoring accounts: ServiceAccounts
   * of the environment's namespace, bound to the ClusterRole in that namespace only. @default none
   */
  readonly readOnlyAccess?: { readonly roleName: string; readonly serviceAccounts: string[] };
  /**
   * The clusters of the environment (a fleet): one Application each, generated by an
   * ApplicationSet. @default one cluster, the one Argo CD runs in
   */
  readonly clusters?: ClusterConfig[];
  /**
   * How Argo CD gets the clusters: one ApplicationSet with a list generator, or one Application
   * per cluster (named `<partOf>-<env>-<cluster>`). @default "ApplicationSet"
   */
  readonly fleetApplications?: 'ApplicationSet' | 'Application';
  /** External APIs called from the mesh. */
  readonly externalServices?: Array<{ readonly name: string; readonly hosts: string[] }>;
  /**
   * Prometheus Operator and Grafana (kube-prometheus-stack): a ServiceMonitor per service and,
   * per service with an SLO, its PrometheusRule (burn-rate alerts), Grafana dashboard and the
   * canary gates' defaults. @default none
   */
  readonly observability?: {
    /** Labels kube-prometheus-stack selects monitors and rules by. @default { release: "kube-prometheus-stack" } */
    readonly discoveryLabels?: Record<string, string>;
    /** Namespace Grafana's dashboard sidecar watches. @default "monitoring" */
    readonly dashboardNamespace?: string;
    /** Grafana's base URL, for the alerts' dashboard links. @default no link */
    readonly grafanaUrl?: string;
    /** SLOs per service. */
    readonly slos?: Partial<Record<ServiceName, ServiceSloOptions>>;
  };
  /**
   * MySQL and Redis run by the environment itself, as StatefulSets with a volume each, at the hosts
   * of `backends` (`<name>.<namespace>.svc.cluster.local`). @default none: managed endpoints
   */
  readonly ownDataStores?: { readonly storageClassName: string; readonly mysqlSize: string; readonly redisSize: string };
  /** Spread the pods of every service that runs more than one replica over zones. @default false */
  readonly zoneSpread?: boolean;
}

/** What differs on one cluster of a fleet; the cluster then gets its own output `dist/<env>/<cluster>/`. */
export interface ClusterOverrides {
  /** Lower bound of every service's autoscaler on this cluster (HPA and Prometheus HPA). @default the environment's */
  readonly minReplicas?: number;
  /** Upper bound of every service's autoscaler on this cluster. @default the environment's */
  readonly maxReplicas?: number;
  /** Node labels the pods must run on, added to the environment's (zones, node pools). @default the environment's */
  readonly nodeSelector?: Record<string, string>;
}

/** One cluster an environment runs on. */
export interface ClusterConfig {
  /** Cluster name (DNS label): `dist/<env>/<name>/` and the Application `<partOf>-<env>-<name>`. */
  readonly name: string;
  /** API server as registered in Argo CD. */
  readonly server: string;
  /** Region, a label of its Application. */
  readonly region: string;
  /** What differs from the environment. @default nothing: the cluster syncs `dist/<env>/` */
  readonly overrides?: ClusterOverrides;
}

/** Settings shared by all environments. */
export interface PlatformConfig {
  /** `app.kubernetes.io/part-of` of everything. */
  readonly partOf: string;
  /** Registry and project images are pulled from. */
  readonly registry: string;
  /** docker-registry Secret for the registry. */
  readonly imagePullSecret: string;
  /** Git repository Argo CD syncs `dist/` from. */
  readonly gitRepoUrl: string;
  /** Branch Argo CD follows. */
  readonly gitRevision: string;
}
