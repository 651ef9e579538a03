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
  resourceQuota: { requestsCpu: '40', requestsMemory: '80Gi', limitsCpu: '160', limitsMemory: '160Gi', pods: 200 },
  services: {
    'user-service': {
      ...production,
      imageTag: 'v1.2.3',
      imageDigest: 'sha256:3f1e9b6c2a8d4e7f0b5c9a1d6e3f8b2c7a4d9e0f1b6c3a8d5e2f7b4c9a0d1e6f',
    },
    'product-service': { ...production, imageTag: 'v2.4.1', resources: { ...production.resources, memoryRequest: '768Mi', memoryLimit: '1536Mi' } },
    'order-service': { ...production, imageTag: 'v1.8.0' },
    'payment-service': { ...production, imageTag: 'v3.1.2' },
  },
};
