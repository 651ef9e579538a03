import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { KubeServiceAccount } from '../imports/k8s';
import {
  applySyncWaves, ApplyOrder, CanaryRoute, CanaryStateFile, HpaMetric, KedaRedisScaler, MeshSecurity, PrometheusHpa, PrometheusMetric, ServiceVpa, EgressRule, ExternalServiceEntry, HttpRouteOptions, IngressSource, IstioGateway, Match,
  MicroserviceChart, previousConfigMaps, ReadOnlyClusterRole, SecretStore, SecretStoreProvider, MicroserviceChartProps, MonitoringOptions, PlatformNamespace, PodOptions, Probe, SecretSource, ServiceCanaryState, ServiceScheduledTask,
  ServiceStatefulSet, TrackImage,
} from '../lib';
import { EnvironmentConfig, loadCanaryState, platform, ServiceName } from '../config';

/** What a service is, whatever the environment (language, port, health endpoints, dependencies). */
interface ServiceBlueprint {
  readonly port: number;
  readonly livenessProbe: Probe;
  readonly readinessProbe: Probe;
  readonly startupProbe?: Probe;
  readonly public: boolean;
  readonly callers: Array<ServiceName | { service: ServiceName; methods?: string[]; paths?: string[] }>;
  readonly egress: (env: EnvironmentConfig) => EgressRule[];
  readonly config: (env: EnvironmentConfig) => Record<string, any>;
  readonly secrets: (env: EnvironmentConfig) => SecretSource;
  readonly writablePaths?: string[];
  /** The command that migrates the service's database schema, run before each rollout. @default none (no database of its own) */
  readonly migrate?: string[];
  /** Environment variable → secret key; keys not named are not exposed as variables. @default every key */
  readonly secretEnv?: Record<string, string>;
  /** Secret keys the service reads as files instead: `<dir>/<key>`, mode 0440. @default none */
  readonly secretFiles?: { readonly secretName: string; readonly keys: string[]; readonly dir: string };
}

const MYSQL: EgressRule = { namespace: 'database', ports: [3306] };
const REDIS: EgressRule = { namespace: 'cache', ports: [6379] };

/** Secret values synced from the environment's Vault store, one remote path per service. */
function vaultSecrets(env: EnvironmentConfig, service: ServiceName, keys: string[]): SecretSource {
  return SecretSource.fromExternalSecret({
    storeName: env.secretStore,
    storeKind: 'SecretStore',
    keys: Object.fromEntries(keys.map((key) => [key, { remoteKey: `ecommerce/${service}`, property: key }])),
  });
}

/** The e-commerce platform of seed 004: four services in four languages. */
const BLUEPRINTS: Record<ServiceName, ServiceBlueprint> = {
  // Go, listens on 8080 (Dockerfile EXPOSE 8080, HEALTHCHECK /health).
  'user-service': {
    port: 8080,
    livenessProbe: Probe.http('/health', { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
    readinessProbe: Probe.http('/ready', { initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
    public: true,
    // Seed 004: order-service may GET/POST the user API, nothing else.
    callers: [{ service: 'order-service', methods: ['GET', 'POST'], paths: ['/api/v1/users/*'] }],
    egress: () => [MYSQL, REDIS],
    config: (env) => ({
      database: { host: env.backends.mysqlHost, port: 3306, name: 'users' },
      redis: { host: env.backends.redisHost, port: 6379 },
      jwt: { expiresIn: 3600 },
    }),
    secrets: (env) => vaultSecrets(env, 'user-service', ['db-username', 'db-password', 'redis-password', 'jwt-secret']),
    writablePaths: ['/tmp', '/app/cache'],
    // The Go binary embeds its SQL migrations (golang-migrate).
    migrate: ['/app/user-service', 'migrate', 'up'],
  },
  // Java Spring Boot on 8080: actuator health groups, and a long start-up budget for the JVM.
  'product-service': {
    port: 8080,
    livenessProbe: Probe.http('/actuator/health/liveness', { periodSeconds: 10, timeoutSeconds: 3 }),
    readinessProbe: Probe.http('/actuator/health/readiness', { periodSeconds: 5, timeoutSeconds: 3 }),
    startupProbe: Probe.http('/actuator/health/liveness', { periodSeconds: 5, failureThreshold: 60 }),
    public: true,
    callers: ['order-service'],
    egress: () => [MYSQL],
    config: (env) => ({
      spring: { datasource: { url: `jdbc:mysql://${env.backends.mysqlHost}:3306/products` } },
      server: { port: 8080 },
    }),
    secrets: (env) => vaultSecrets(env, 'product-service', ['db-username', 'db-password']),
    // Flyway through Spring Boot: the app migrates and exits without serving.
    migrate: ['java', '-jar', '/app/app.jar', '--spring.flyway.enabled=true', '--spring.main.web-application-type=none'],
  },
  // Python Flask on 5000 (EXPOSE 5000, HEALTHCHECK /health).
  'order-service': {
    port: 5000,
    livenessProbe: Probe.http('/health', { periodSeconds: 10, timeoutSeconds: 3 }),
    readinessProbe: Probe.http('/health', { periodSeconds: 5, timeoutSeconds: 3 }),
    public: true,
    callers: [],
    egress: () => [MYSQL, REDIS],
    config: (env) => ({
      database: { host: env.backends.mysqlHost, port: 3306, name: 'orders' },
      redis: { host: env.backends.redisHost, port: 6379, queue: 'order-queue' },
      services: {
        userUrl: 'http://user-service',
        productUrl: 'http://product-service',
        paymentUrl: 'http://payment-service',
      },
    }),
    secrets: (env) => vaultSecrets(env, 'order-service', ['db-username', 'db-password', 'redis-password']),
    // Flask-Migrate (Alembic).
    migrate: ['flask', 'db', 'upgrade'],
  },
  // Node.js Express on 3000; reached only by order-service; calls the external payment provider.
  'payment-service': {
    port: 3000,
    livenessProbe: Probe.http('/health', { periodSeconds: 10, timeoutSeconds: 3 }),
    readinessProbe: Probe.http('/health', { periodSeconds: 5, timeoutSeconds: 3 }),
    public: false,
    callers: ['order-service'],
    // The payment provider's API range (documentation range as a stand-in) over HTTPS.
    egress: () => [{ cidr: '203.0.113.0/24', ports: [443] }, MYSQL],
    config: (env) => ({ database: { host: env.backends.mysqlHost, port: 3306, name: 'payments' }, provider: { timeoutMs: 5000 } }),
    secrets: () => SecretSource.fromExistingSecret('payment-provider-credentials', ['api-key', 'webhook-signing-key']),
    // The webhook signing key is read from a file (never in the environment, which crash dumps and child processes see).
    secretEnv: { API_KEY: 'api-key' },
    secretFiles: { secretName: 'payment-provider-credentials', keys: ['webhook-signing-key'], dir: '/var/run/secrets/payment-provider' },
  },
};

function imageOf(name: ServiceName, image: TrackImage): string {
  return `${platform.registry}/${name}:${image.imageTag}${image.imageDigest ? `@${image.imageDigest}` : ''}`;
}

/** The stable image of a service: from the canary state when it manages the service, else from the config. */
function stableImage(env: EnvironmentConfig, name: ServiceName, canary: ServiceCanaryState | undefined): TrackImage {
  const settings = env.services[name];
  if (canary && settings.imageTag) {
    throw new Error(`${name} in ${env.name}: image tag set both in config/${env.name}.ts and config/${env.name}.canary.json; keep it in the state file only`);
  }
  const image = canary?.stable ?? (settings.imageTag ? { imageTag: settings.imageTag, imageDigest: settings.imageDigest } : undefined);
  if (!image) throw new Error(`${name} in ${env.name}: no image tag in config/${env.name}.ts nor in config/${env.name}.canary.json`);
  return image;
}

/** Props of one service in `env`, from its blueprint, the environment's settings and the canary state. */
export function serviceProps(env: EnvironmentConfig, name: ServiceName, canaryState: CanaryStateFile = {}): MicroserviceChartProps {
  const blueprint = BLUEPRINTS[name];
  const settings = env.services[name];
  const canary = canaryState[name];
  const traffic = env.traffic?.[name];
  const scaling = env.scaling?.[name];
  const externallyScaled = scaling?.prometheus !== undefined || scaling?.redisQueue !== undefined;
  const viaGateway = traffic?.publicHost !== undefined;
  const ingressSources: IngressSource[] = [
    ...(blueprint.public && !viaGateway ? [{ namespace: 'ingress-nginx' }] : []),
    ...(viaGateway ? [{ namespace: 'istio-system', podLabels: { istio: 'ingressgateway' } }] : []),
    // The app's metrics, and Istio's merged metrics endpoint on the sidecar.
    { namespace: 'monitoring', ports: [blueprint.port, 15020, ...(env.observability ? [15090] : [])] },
  ];
  return {
    namespace: env.namespace,
    partOf: platform.partOf,
    image: imageOf(name, stableImage(env, name, canary)),
    canary: canary?.canary ? { image: imageOf(name, canary.canary) } : undefined,
    ingressSources,
    imagePullPolicy: env.imagePullPolicy,
    imagePullSecrets: [platform.imagePullSecret],
    port: blueprint.port,
    livenessProbe: blueprint.livenessProbe,
    readinessProbe: blueprint.readinessProbe,
    startupProbe: blueprint.startupProbe,
    resources: settings.resources,
    // An autoscaler owns the replica count: a fixed one only when none is configured.
    replicas: settings.autoscaling === false && !externallyScaled ? settings.replicas : undefined,
    autoscaling: externallyScaled ? false : settings.autoscaling,
    logLevel: env.logLevel,
    serviceType: env.serviceType,
    antiAffinity: env.antiAffinity,
    nodeSelector: env.nodeSelector,
    writablePaths: blueprint.writablePaths,
    config: { data: blueprint.config(env) },
    secrets: blueprint.secrets(env),
    secretEnv: blueprint.secretEnv,
    ...podExtras(env, blueprint, settings),
    migration: blueprint.migrate ? { command: blueprint.migrate } : undefined,
    callers: blueprint.callers,
    egress: blueprint.egress(env),
    monitoring: monitoringOf(env, name),
    ingress: blueprint.public && !viaGateway ? {
      host: `${name.replace(/-service$/, '')}-api${env.hostSuffix}`,
      clusterIssuer: env.ingress.clusterIssuer,
      rateLimitRps: env.ingress.rateLimitRps,
    } : undefined,
  };
}

/**
 * kube-prometheus-stack objects of one service: a ServiceMonitor (through the sidecar with mTLS when
 * the mesh is STRICT), a PodMonitor on the sidecar's Istio metrics, and with an SLO its rules and dashboard.
 */
function monitoringOf(env: EnvironmentConfig, name: ServiceName): MonitoringOptions | undefined {
  if (!env.observability) return undefined;
  const slo = env.observability.slos?.[name];
  return {
    discoveryLabels: env.observability.discoveryLabels,
    istioMtls: env.meshSecurity?.mtls === 'STRICT',
    istioProxyMetrics: true,
    // The mesh denies by default: Prometheus (namespace monitoring) may GET /metrics.
    allowScrapeFrom: env.meshSecurity?.authorization ? ['monitoring'] : undefined,
    slo,
    dashboard: slo ? { namespace: env.observability.dashboardNamespace, folder: platform.partOf, grafanaUrl: env.observability.grafanaUrl } : undefined,
  };
}

/**
 * The environment's Vault SecretStore (seed 004's External Secrets example) in `namespace`, logged in
 * as its own ServiceAccount: the services' namespace, and that of each data store the environment runs.
 */
function buildSecretStore(env: EnvironmentConfig, app: App, namespace = env.namespace): void {
  const chart = new Chart(app, namespace === env.namespace ? 'secret-store' : `${namespace}-secret-store`, { namespace, disableResourceNameHashes: true });
  ApplyOrder.set(chart, ApplyOrder.SECRET_STORES);
  const serviceAccount = 'external-secrets-vault';
  new KubeServiceAccount(chart, 'ServiceAccount', {
    metadata: { name: serviceAccount, labels: { 'app.kubernetes.io/part-of': platform.partOf, 'app.kubernetes.io/managed-by': 'cdk8s' } },
    automountServiceAccountToken: false,
  });
  new SecretStore(chart, 'Vault', {
    name: env.secretStore,
    provider: SecretStoreProvider.vault({ ...env.vault, serviceAccount: { name: serviceAccount } }),
    labels: { 'app.kubernetes.io/part-of': platform.partOf },
  });
}

/** The read-only accounts of the environment (seed 004's readonly-role), limited to its namespace. */
function buildReadOnlyAccess(env: EnvironmentConfig, access: NonNullable<EnvironmentConfig['readOnlyAccess']>, app: App): void {
  const chart = new Chart(app, 'read-only-access', { disableResourceNameHashes: true });
  const labels = { 'app.kubernetes.io/part-of': platform.partOf, 'app.kubernetes.io/managed-by': 'cdk8s' };
  for (const name of access.serviceAccounts) {
    new KubeServiceAccount(chart, name, { metadata: { name, namespace: env.namespace, labels }, automountServiceAccountToken: false });
  }
  new ReadOnlyClusterRole(chart, 'ReadOnly', {
    name: access.roleName,
    subjects: access.serviceAccounts.map((name) => ({ name, namespace: env.namespace })),
    namespaces: [env.namespace],
    labels: { 'app.kubernetes.io/part-of': platform.partOf },
  });
}

/** Secret files and zone spreading of a service's pods. */
function podExtras(env: EnvironmentConfig, blueprint: ServiceBlueprint, settings: EnvironmentConfig['services'][ServiceName]): Pick<MicroserviceChartProps, 'pod' | 'volumeMounts'> {
  const files = blueprint.secretFiles;
  const multiReplica = settings.autoscaling !== false || settings.replicas > 1;
  const pod: PodOptions = {
    volumes: files ? [{ name: 'secret-files', secret: { secretName: files.secretName, items: files.keys.map((key) => ({ key, path: key })) } }] : undefined,
    topologySpread: env.zoneSpread && multiReplica ? [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] : undefined,
  };
  return {
    pod: pod.volumes || pod.topologySpread ? pod : undefined,
    volumeMounts: files ? [{ volume: 'secret-files', path: files.dir, readOnly: true }] : undefined,
  };
}

/** Scheduled tasks of the services (seed 004: order-service expires unpaid orders every night). */
function scheduleTasks(service: MicroserviceChart, name: ServiceName): void {
  if (name !== 'order-service') return;
  new ServiceScheduledTask(service, 'ExpireUnpaidOrders', {
    service,
    name: 'expire-unpaid-orders',
    schedule: '0 2 * * *',
    timeZone: 'Asia/Shanghai',
    concurrencyPolicy: 'Forbid',
    activeDeadlineSeconds: 1800,
    backoffLimit: 2,
    container: {
      command: ['python', '-m', 'app.jobs.expire_unpaid_orders'],
      env: { UNPAID_ORDER_TTL_MINUTES: '30' },
    },
  });
}

/**
 * MySQL and Redis of an environment that runs its own (dev): a StatefulSet with a claim each, in the
 * namespace and under the name of the environment's backend hosts, reachable from the platform's namespace only.
 */
function ownDataStores(app: App, env: EnvironmentConfig): void {
  const stores = env.ownDataStores;
  if (!stores) return;
  const at = (host: string) => {
    const [name, namespace] = host.split('.');
    return { name, namespace };
  };
  const mysql = at(env.backends.mysqlHost);
  const redis = at(env.backends.redisHost);
  const secrets = (store: string, keys: string[]) => SecretSource.fromExternalSecret({
    storeName: env.secretStore,
    storeKind: 'SecretStore',
    keys: Object.fromEntries(keys.map((key) => [key, { remoteKey: `ecommerce/${store}`, property: key }])),
  });
  const chartFor = (store: { name: string; namespace: string }) => {
    new PlatformNamespace(app, `${store.namespace}-namespace`, { name: store.namespace, partOf: platform.partOf, istioInjection: false });
    buildSecretStore(env, app, store.namespace);
    return new Chart(app, store.name, { namespace: store.namespace, disableResourceNameHashes: true });
  };
  new ServiceStatefulSet(chartFor(mysql), 'StatefulSet', {
    name: mysql.name,
    partOf: platform.partOf,
    image: 'docker.io/library/mysql:8.0.36',
    runAsUser: 999, // the image's mysql user
    ports: [{ name: 'mysql', port: 3306 }],
    readinessProbe: Probe.tcp({ periodSeconds: 5, timeoutSeconds: 3 }),
    livenessProbe: Probe.tcp({ initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 3 }),
    startupProbe: Probe.tcp({ periodSeconds: 5, failureThreshold: 60 }),
    resources: { cpuRequest: '250m', memoryRequest: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' },
    writablePaths: ['/tmp', '/var/run/mysqld', '/var/lib/mysql-files'],
    volumeMounts: [{ volume: 'data', path: '/var/lib/mysql' }],
    volumeClaimTemplates: [{ name: 'data', size: stores.mysqlSize, storageClassName: stores.storageClassName }],
    // The root password, and the application user the services' db-username/db-password name in this environment.
    secrets: secrets(mysql.name, ['root-password', 'app-username', 'app-password']),
    secretEnv: { MYSQL_ROOT_PASSWORD: 'root-password', MYSQL_USER: 'app-username', MYSQL_PASSWORD: 'app-password' },
    ingressSources: [{ namespace: env.namespace }],
    mesh: { sidecar: false }, // its namespace is outside the mesh
  });
  new ServiceStatefulSet(chartFor(redis), 'StatefulSet', {
    name: redis.name,
    partOf: platform.partOf,
    image: 'docker.io/library/redis:7.2.4',
    runAsUser: 999, // the image's redis user
    command: ['redis-server'],
    args: ['--appendonly', 'yes', '--requirepass', '$(REDIS_PASSWORD)'],
    ports: [{ name: 'redis', port: 6379 }],
    readinessProbe: Probe.tcp({ periodSeconds: 5, timeoutSeconds: 3 }),
    livenessProbe: Probe.tcp({ initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 3 }),
    resources: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
    volumeMounts: [{ volume: 'data', path: '/data' }],
    volumeClaimTemplates: [{ name: 'data', size: stores.redisSize, storageClassName: stores.storageClassName }],
    secrets: secrets(redis.name, ['password']),
    secretEnv: { REDIS_PASSWORD: 'password' },
    ingressSources: [{ namespace: env.namespace }],
    mesh: { sidecar: false }, // its namespace is outside the mesh
  });
}

/** Autoscalers of one service beyond its CPU/memory HPA: Prometheus HPA, KEDA, VPA. */
function scaleService(env: EnvironmentConfig, name: ServiceName, service: MicroserviceChart): void {
  const scaling = env.scaling?.[name];
  if (scaling?.prometheus) {
    const p = scaling.prometheus;
    new PrometheusHpa(service, 'PrometheusHpa', {
      service,
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metrics: [
        ...(p.requestsPerSecondPerPod !== undefined ? [HpaMetric.pods(PrometheusMetric.httpRequestsPerSecond(), { averageValue: p.requestsPerSecondPerPod })] : []),
        ...(p.p95LatencySeconds !== undefined ? [HpaMetric.service(PrometheusMetric.latencyQuantile({ quantile: 0.95 }), { value: p.p95LatencySeconds })] : []),
      ],
      behavior: p.behavior,
    });
  }
  if (scaling?.redisQueue) {
    const q = scaling.redisQueue;
    new KedaRedisScaler(service, 'QueueScaler', {
      service,
      minReplicas: q.minReplicas,
      maxReplicas: q.maxReplicas,
      redis: { address: q.address, listName: q.listName, listLength: q.listLength, password: q.password },
      fallback: q.fallbackReplicas ? { failureThreshold: 3, replicas: q.fallbackReplicas } : undefined,
    });
  }
  if (scaling?.vpa) {
    new ServiceVpa(service, 'Vpa', { service, ...scaling.vpa });
  }
}

/** The Istio routes of one service, from the environment's traffic settings and canary state. */
function routeService(env: EnvironmentConfig, name: ServiceName, service: MicroserviceChart, canary: ServiceCanaryState | undefined): void {
  const traffic = env.traffic?.[name];
  if (!traffic && !canary?.canary) return;
  const live = canary?.canary && !canary.canary.rolledBack ? canary.canary : undefined;
  const [stable, canaryVersion] = service.tracks.map((t) => t.version);
  const routes: HttpRouteOptions[] = [];
  if (traffic?.faultInjection) {
    const { header, value, fault } = traffic.faultInjection;
    routes.push({ name: 'fault-injection', match: [Match.header(header, value)], fault });
  }
  if (live && traffic?.canaryHeader) {
    routes.push({
      name: 'canary-testers',
      match: [Match.header(traffic.canaryHeader.name, traffic.canaryHeader.value)],
      destinations: [{ subset: canaryVersion }],
      timeout: traffic.timeout,
      retries: traffic.retries,
    });
  }
  new CanaryRoute(service, 'Route', {
    service,
    weights: live ? { [stable]: 100 - live.weight, [canaryVersion]: live.weight } : { [stable]: 100 },
    routes,
    defaultRoute: { timeout: traffic?.timeout, retries: traffic?.retries },
    trafficPolicy: traffic?.trafficPolicy,
    subsetPolicies: canaryVersion && traffic?.canaryPolicy ? { [canaryVersion]: traffic.canaryPolicy } : undefined,
    gateways: traffic?.publicHost && env.gateway ? [env.gateway.name] : undefined,
    publicHosts: traffic?.publicHost ? [traffic.publicHost] : undefined,
  });
}

/** The whole platform for one environment: its namespace, the four services and their routes. */
/**
 * The platform of one environment. `previousOutput` is the output root written before (the committed
 * dist/): each service keeps its last configurations from there (see ServiceConfigMap `retain`).
 */
export function buildEcommercePlatform(env: EnvironmentConfig, app: App = new App(), canaryState: CanaryStateFile = loadCanaryState(env.name), previousOutput?: string, outputDir: string = env.name): App {
  new PlatformNamespace(app, 'namespace', {
    name: env.namespace,
    partOf: platform.partOf,
    istioInjection: true,
    resourceQuota: env.resourceQuota,
    limitRange: {
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      defaultLimit: { cpu: '1', memory: '512Mi' },
    },
  });
  buildSecretStore(env, app);
  ownDataStores(app, env);
  for (const name of Object.keys(BLUEPRINTS) as ServiceName[]) {
    const props = serviceProps(env, name, canaryState);
    const previous = previousOutput && props.config ? previousConfigMaps(path.join(previousOutput, outputDir), name) : [];
    const service = new MicroserviceChart(app, name, previous.length > 0 ? { ...props, config: { ...props.config!, previous } } : props);
    scaleService(env, name, service);
    scheduleTasks(service, name);
    routeService(env, name, service, canaryState[name]);
  }
  if (env.meshSecurity) {
    const publicServices = (Object.keys(BLUEPRINTS) as ServiceName[]).filter((n) => env.traffic?.[n]?.publicHost);
    const { jwt, ...security } = env.meshSecurity;
    new MeshSecurity(app, 'mesh-security', {
      namespace: env.namespace,
      ...security,
      publicServices: security.authorization ? publicServices : undefined,
      jwt: jwt && publicServices.length > 0 ? { ...jwt, services: publicServices } : undefined,
    });
  }

  if (env.readOnlyAccess) buildReadOnlyAccess(env, env.readOnlyAccess, app);

  // The mesh's edges: the ingress Gateway and the external APIs, applied after the services.
  const edge = new Chart(app, 'mesh-edge', { namespace: env.namespace, disableResourceNameHashes: true });
  ApplyOrder.set(edge, ApplyOrder.ROUTING);
  const publicHosts = Object.values(env.traffic ?? {}).flatMap((t) => (t?.publicHost ? [t.publicHost] : []));
  if (env.gateway && publicHosts.length > 0) {
    new IstioGateway(edge, 'Gateway', {
      name: env.gateway.name,
      hosts: publicHosts,
      credentialName: env.gateway.credentialName,
      // cert-manager issues the gateway's certificate into istio-system, where Istio reads it.
      certificate: { issuer: { name: env.ingress.clusterIssuer } },
    });
  }
  for (const external of env.externalServices ?? []) {
    new ExternalServiceEntry(edge, external.name, external);
  }
  // Argo CD: namespace first, then the secret store, then the ExternalSecrets, then the rest.
  applySyncWaves(app);
  return app;
}
