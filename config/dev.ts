import { EnvironmentConfig, ServiceEnvironmentSettings } from './types';

// Small, single replicas, no autoscaling: a developer cluster (values-dev.yaml of seed 004).
const small: Omit<ServiceEnvironmentSettings, 'imageTag'> = {
  replicas: 1,
  resources: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
  autoscaling: false,
};

/** The dev environment. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  namespace: 'ecommerce-dev',
  logLevel: 'debug',
  serviceType: 'NodePort',
  antiAffinity: 'soft',
  imagePullPolicy: 'Always',
  hostSuffix: '-dev.example.com',
  ingress: { clusterIssuer: 'letsencrypt-staging', rateLimitRps: 100 },
  backends: { mysqlHost: 'mysql-dev.database.svc.cluster.local', redisHost: 'redis-dev.cache.svc.cluster.local' },
  secretStore: 'vault-dev',
  vault: { server: 'https://vault.example.com:8200', path: 'secret', role: 'ecommerce-dev' },
  services: {
    'user-service': { ...small, imageTag: 'dev-8c1f2e4' },
    'product-service': { ...small, imageTag: 'dev-3b9d0a7', resources: { ...small.resources, memoryRequest: '256Mi', memoryLimit: '512Mi' } },
    'order-service': { ...small, imageTag: 'dev-51e7c2d' },
    'payment-service': { ...small, imageTag: 'dev-a04f6b3' },
  },
  // Sidecars everywhere, but ingress-nginx has none: plaintext accepted and no authorization
  // policies (its requests carry no identity to authorize); the NetworkPolicies still apply.
  meshSecurity: { mtls: 'PERMISSIVE', authorization: false, tracingSamplingPercentage: 100 },
  scaling: {
    'product-service': { vpa: { updateMode: 'Off', minAllowed: { cpu: '50m', memory: '256Mi' }, maxAllowed: { cpu: '1', memory: '1Gi' } } },
  },
  traffic: {
    // Chaos testing (seed 004): the test user gets 2 s delays and 20 % 503s; everyone else is untouched.
    'user-service': {
      faultInjection: {
        header: 'x-user-id',
        value: 'test-user',
        fault: { delay: { fixedDelay: '2s', percentage: 100 }, abort: { httpStatus: 503, percentage: 20 } },
      },
    },
  },
  externalServices: [{ name: 'payment-provider', hosts: ['api.payment-provider.example.com'] }],
  // A developer cluster runs its own MySQL and Redis (seed 004: Ceph block storage, 10Gi / 5Gi).
  ownDataStores: { storageClassName: 'rook-ceph-block', mysqlSize: '10Gi', redisSize: '5Gi' },
};
