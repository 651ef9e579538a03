import type { ServiceSloOptions } from '../lib';
import { EnvironmentConfig, ServiceEnvironmentSettings } from './types';

// values-prod.yaml of seed 004: 3 replicas, HPA 3–20 at 70 % CPU / 80 % memory.
const production: Omit<ServiceEnvironmentSettings, 'imageTag'> = {
  replicas: 3,
  resources: { cpuRequest: '500m', memoryRequest: '512Mi', cpuLimit: '2', memoryLimit: '1Gi' },
  autoscaling: {
    minReplicas: 3,
    maxReplicas: 20,
    cpuUtilization: 70,
    memoryUtilization: 80,
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    },
  },
};

/** The SLO of the seeds' services (seed 002 §SLO/SLI: 99.9 % availability, 99 % of requests under 500 ms). */
const SLO: ServiceSloOptions = {
  availability: { targetPercent: 99.9 },
  latency: { targetPercent: 99, thresholdMs: 500 },
  runbookUrl: 'https://runbooks.example.com/ecommerce/slo-burn-rate',
};

/** The production environment. */
export const prod: EnvironmentConfig = {
  name: 'prod',
  namespace: 'ecommerce',
  logLevel: 'info',
  serviceType: 'ClusterIP',
  antiAffinity: 'hard',
  nodeSelector: { 'node-role': 'production' },
  imagePullPolicy: 'IfNotPresent',
  hostSuffix: '.example.com',
  ingress: { clusterIssuer: 'letsencrypt-prod', rateLimitRps: 1000 },
  backends: { mysqlHost: 'mysql-prod.database.svc.cluster.local', redisHost: 'redis-prod.cache.svc.cluster.local' },
  secretStore: 'vault-prod',
  vault: { server: 'https://vault.example.com:8200', path: 'secret', role: 'ecommerce-prod' },
  // Three or more replicas per service: one zone going down takes at most a third of them.
  zoneSpread: true,
  resourceQuota: { requestsCpu: '40', requestsMemory: '80Gi', limitsCpu: '160', limitsMemory: '160Gi', pods: 200 },
  services: {
    // Under canary management: image tags in prod.canary.json.
    'user-service': production,
    'product-service': { ...production, imageTag: 'v2.4.1', resources: { ...production.resources, memoryRequest: '768Mi', memoryLimit: '1536Mi' } },
    'order-service': { ...production, imageTag: 'v1.8.0' },
    'payment-service': { ...production, imageTag: 'v3.1.2' },
  },
  scaling: {
    // QPS per pod (100) and P95 latency (0.5 s) from Prometheus, seed 000.
    'user-service': {
      prometheus: {
        minReplicas: 3,
        maxReplicas: 20,
        requestsPerSecondPerPod: 100,
        p95LatencySeconds: '500m',
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
        },
      },
    },
    // Orders queue up in Redis: one replica per 10 waiting orders (seed 000).
    'order-service': {
      redisQueue: {
        address: 'redis-prod.cache.svc.cluster.local:6379',
        listName: 'order-queue',
        listLength: 10,
        minReplicas: 2,
        maxReplicas: 30,
        password: { secretName: 'order-service-secrets', key: 'redis-password' },
        fallbackReplicas: 6,
      },
    },
    // Right-sizing advice for the JVM, not applied automatically.
    'product-service': { vpa: { updateMode: 'Off', minAllowed: { cpu: '250m', memory: '512Mi' }, maxAllowed: { cpu: '4', memory: '4Gi' } } },
  },
  // Zero trust (seed 004 §12.4.1): STRICT mTLS, nothing allowed unless declared, end-user JWT on the public APIs.
  meshSecurity: {
    mtls: 'STRICT',
    authorization: true,
    jwt: {
      issuer: 'https://auth.example.com',
      jwksUri: 'https://auth.example.com/.well-known/jwks.json',
      audiences: ['ecommerce-api'],
      requiredClaims: { role: ['admin', 'user'] },
    },
    tracingSamplingPercentage: 10,
  },
  gateway: { name: 'ecommerce-gateway', credentialName: 'ecommerce-prod-tls' },
  traffic: {
    // A canary in progress (seeds 003/004): testers always see the new version.
    'user-service': {
      // canary-deploy.sh of seed 004: 5 → 20 → 50 → 100 while errors < 1 % and P99 < 500 ms
      // (the gate's bounds come from the service's SLO below: 0.1 % budget × 10, and the 500 ms threshold).
      canaryPlan: [5, 20, 50, 100],
      canaryHeader: { name: 'x-user-type', value: 'tester' },
      publicHost: 'user-api.example.com',
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: ['5xx', 'reset', 'connect-failure', 'refused-stream'] },
      trafficPolicy: {
        loadBalancer: { simple: 'LEAST_REQUEST' },
        outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
      },
      // A stricter circuit breaker for the canary (seed 004 §12.4.3).
      canaryPolicy: { outlierDetection: { consecutive5xxErrors: 2, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 100 } },
    },
    'product-service': { publicHost: 'product-api.example.com' },
    // Calls to order-service carry timeouts, retries and a circuit breaker.
    'order-service': {
      publicHost: 'order-api.example.com',
      timeout: '10s',
      retries: { attempts: 1, perTryTimeout: '10s', retryOn: ['reset', 'connect-failure'] },
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 200, connectTimeout: '30ms' }, http: { http1MaxPendingRequests: 100, http2MaxRequests: 200, maxRequestsPerConnection: 5, maxRetries: 3, idleTimeout: '1800s' } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 30, minHealthPercent: 50 },
      },
    },
    // Payments are not retried on 5xx (not idempotent); connect failures are.
    'payment-service': {
      timeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s', retryOn: ['connect-failure', 'refused-stream'] },
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100, connectTimeout: '30ms' }, http: { http1MaxPendingRequests: 50, maxRetries: 2 } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '60s', maxEjectionPercent: 50 },
      },
    },
  },
  externalServices: [{ name: 'payment-provider', hosts: ['api.payment-provider.example.com'] }],
  // kube-prometheus-stack: ServiceMonitors, SLO rules and dashboards. Seeds 002/004: 99.9 % availability,
  // 99 % of requests within 500 ms; a canary may burn the budget at 10× (1 % errors, canary-deploy.sh's bound).
  observability: {
    grafanaUrl: 'https://grafana.example.com',
    slos: {
      'user-service': SLO,
      'product-service': SLO,
      'order-service': SLO,
      'payment-service': { ...SLO, availability: { targetPercent: 99.95 }, canaryBurnRate: 20 },
    },
  },
  // CI checks rollouts, and the monitoring account reads the platform's objects: read-only, this namespace only.
  readOnlyAccess: { roleName: 'ecommerce-readonly', serviceAccounts: ['ci-readonly', 'monitoring-readonly'] },
};
