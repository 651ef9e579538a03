import { App } from 'cdk8s';
import { MicroserviceChart, Probe, SecretSource } from '../../lib';
import { all, container, IMAGE, only, render } from '../helpers';

describe('MicroserviceChart defaults (only an image given)', () => {
  const app = new App();
  new MicroserviceChart(app, 'user-service', { image: IMAGE });
  const objects = render(app);
  const deployment = only(objects, 'Deployment', 'user-service');
  const pod = deployment.spec.template.spec;
  const c = container(deployment);

  test('objects are named after the service, in its namespace', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/user-service', 'Service/user-service', 'Deployment/user-service',
      'HorizontalPodAutoscaler/user-service', 'PodDisruptionBudget/user-service', 'NetworkPolicy/user-service',
    ]);
    objects.forEach((o) => expect(o.metadata.namespace).toBe('default'));
  });

  test('selector is app + version only; pod labels carry the recommended set', () => {
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'user-service', version: 'v1' });
    expect(deployment.spec.template.metadata.labels).toEqual({
      'app': 'user-service',
      'version': 'v1',
      'app.kubernetes.io/name': 'user-service',
      'app.kubernetes.io/instance': 'user-service',
      'app.kubernetes.io/version': 'v1.2.3',
      'app.kubernetes.io/part-of': 'user-service',
      'app.kubernetes.io/managed-by': 'cdk8s',
    });
  });

  test('autoscaled: no spec.replicas, HPA on CPU 70 % and memory 80 %, 2–10', () => {
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'user-service' },
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
  });

  test('container: named http port, probes on it, requests and limits', () => {
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, failureThreshold: 30 });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  test('restricted security context with a writable /tmp', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('user-service');
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('graceful shutdown, soft anti-affinity, zero-unavailable rollout, scrape annotations', () => {
    expect(c.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'user-service' } }, topologyKey: 'kubernetes.io/hostname' } },
    ]);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics',
      // Istio sidecar defaults (seed 002), inert without a mesh.
      'sidecar.istio.io/proxyCPU': '100m', 'sidecar.istio.io/proxyCPULimit': '500m',
      'sidecar.istio.io/proxyMemory': '128Mi', 'sidecar.istio.io/proxyMemoryLimit': '512Mi',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
    });
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  });

  test('Service: exact name, named port to the named target, ClusterIP', () => {
    expect(only(objects, 'Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { app: 'user-service' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    });
  });

  test('PDB allows one pod down; NetworkPolicy admits Prometheus on the metrics port only', () => {
    expect(only(objects, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { app: 'user-service' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    expect(np.spec.egress).toEqual([]);
  });
});

describe('MicroserviceChart options', () => {
  test('fixed replicas, hard anti-affinity, node selector, tolerations, Recreate, TCP probes, NodePort', () => {
    const app = new App();
    new MicroserviceChart(app, 'svc', {
      image: IMAGE,
      autoscaling: false,
      replicas: 3,
      antiAffinity: 'hard',
      nodeSelector: { 'node-role': 'production' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'prod', effect: 'NoSchedule' }],
      deploymentStrategy: 'Recreate',
      livenessProbe: Probe.tcp({ periodSeconds: 20 }),
      readinessProbe: Probe.tcp(),
      startupProbe: false,
      serviceType: 'NodePort',
      nodePort: 30080,
      preStopSleepSeconds: 0,
    });
    const objects = render(app);
    const d = only(objects, 'Deployment');
    expect(d.spec.replicas).toBe(3);
    expect(all(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = d.spec.template.spec;
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.nodeSelector).toEqual({ 'node-role': 'production' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'prod', effect: 'NoSchedule' }]);
    expect(container(d).livenessProbe).toMatchObject({ tcpSocket: { port: 'http' }, periodSeconds: 20 });
    expect(container(d).startupProbe).toBeUndefined();
    expect(container(d).lifecycle).toBeUndefined();
    expect(only(objects, 'Service').spec).toMatchObject({ type: 'NodePort', ports: [{ nodePort: 30080 }] });
  });

  test('one replica: no PodDisruptionBudget (it would block every drain)', () => {
    const app = new App();
    new MicroserviceChart(app, 'svc', { image: IMAGE, autoscaling: false, replicas: 1 });
    expect(all(render(app), 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('image digest is kept; the tag becomes app.kubernetes.io/version', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const app = new App();
    new MicroserviceChart(app, 'svc', { image: `${IMAGE}@${digest}` });
    const d = only(render(app), 'Deployment');
    expect(container(d).image).toBe(`${IMAGE}@${digest}`);
    expect(d.metadata.labels['app.kubernetes.io/version']).toBe('v1.2.3');
  });

  test('config as env: content-hashed, immutable ConfigMap, flattened names; a change renames it', () => {
    const build = (level: string) => {
      const app = new App();
      new MicroserviceChart(app, 'svc', { image: IMAGE, config: { data: { database: { host: 'mysql', port: 3306 }, logFormat: level } } });
      return render(app);
    };
    const a = build('json');
    const cm = only(a, 'ConfigMap');
    expect(cm.metadata.name).toMatch(/^svc-config-[0-9a-f]{10}$/);
    expect(cm.immutable).toBe(true);
    expect(cm.data).toEqual({ DATABASE_HOST: 'mysql', DATABASE_PORT: '3306', LOG_FORMAT: 'json' });
    expect(container(only(a, 'Deployment')).envFrom).toEqual([{ configMapRef: { name: cm.metadata.name } }]);
    expect(only(build('json'), 'ConfigMap').metadata.name).toBe(cm.metadata.name);
    expect(only(build('text'), 'ConfigMap').metadata.name).not.toBe(cm.metadata.name);
  });

  test('config as file: mounted read-only at /etc/<service>', () => {
    const app = new App();
    new MicroserviceChart(app, 'svc', { image: IMAGE, config: { data: { server: { port: 8080 } }, mountAs: 'file' } });
    const objects = render(app);
    const cm = only(objects, 'ConfigMap');
    expect(cm.data).toEqual({ 'config.yaml': 'server:\n  port: 8080\n' });
    const d = only(objects, 'Deployment');
    expect(container(d).volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/svc', readOnly: true });
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'config', configMap: { name: cm.metadata.name } });
  });

  test('secrets from an ExternalSecret become secretKeyRef env vars', () => {
    const app = new App();
    new MicroserviceChart(app, 'svc', {
      image: IMAGE,
      secrets: SecretSource.fromExternalSecret({ storeName: 'vault', keys: { 'db-password': { remoteKey: 'svc/db', property: 'password' } } }),
    });
    const objects = render(app);
    const es = only(objects, 'ExternalSecret');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec).toMatchObject({
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'svc-secrets', creationPolicy: 'Owner' },
      data: [{ secretKey: 'db-password', remoteRef: { key: 'svc/db', property: 'password' } }],
    });
    expect(container(only(objects, 'Deployment')).env).toContainEqual({
      name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'svc-secrets', key: 'db-password' } },
    });
    expect(all(objects, 'Secret')).toHaveLength(0);
  });

  test('ingress: TLS, class, cert-manager issuer, rate limit; controller namespace admitted', () => {
    const app = new App();
    new MicroserviceChart(app, 'user-service', {
      image: IMAGE,
      ingress: { host: 'user-api.example.com', clusterIssuer: 'letsencrypt-prod', rateLimitRps: 100 },
    });
    const objects = render(app);
    const ing = only(objects, 'Ingress');
    // The issuer's Certificate is rendered explicitly (tests in __tests__/certificates), no ingress-shim annotation.
    expect(only(objects, 'Certificate').spec.issuerRef.name).toBe('letsencrypt-prod');
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/limit-rps': '100',
    });
    expect(ing.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['user-api.example.com'], secretName: 'user-service-tls' }],
      rules: [{ host: 'user-api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'user-service', port: { name: 'http' } } } }] } }],
    });
    expect(only(objects, 'NetworkPolicy').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
  });
});

describe('MicroserviceChart refuses bad input with path, field, value and what is allowed', () => {
  const build = (props: Record<string, unknown>, id = 'user-service') =>
    () => new MicroserviceChart(new App(), id, { image: IMAGE, ...props } as any);

  test.each<[string, Record<string, unknown>, string | RegExp]>([
    ['invalid service name', { serviceName: 'User_Service' }, '[user-service] invalid serviceName: "User_Service"; allowed: an RFC 1123 DNS label'],
    ['port out of range', { port: 70000 }, '[user-service] invalid port: 70000; allowed: an integer from 1 to 65535'],
    ['min > max', { autoscaling: { minReplicas: 5, maxReplicas: 3 } }, '[user-service/Autoscaler] invalid autoscaling.maxReplicas: 3; allowed: an integer no smaller than autoscaling.minReplicas (5)'],
    ['bad quantity', { resources: { memoryLimit: '1GB' } }, '[user-service/Deployment] invalid resources.memoryLimit: "1GB"; allowed: a Kubernetes quantity'],
    ['request above limit', { resources: { cpuRequest: '2', cpuLimit: '1' } }, 'invalid resources.cpuRequest: "2"; allowed: a request no larger than its limit (1)'],
    ['latest image', { image: 'harbor.example.com/x/user-service:latest' }, /invalid image: "harbor.example.com\/x\/user-service:latest"; allowed: an image pinned/],
    ['untagged image', { image: 'harbor.example.com/x/user-service' }, /allowed: an image pinned/],
    ['malformed image', { image: 'not an image' }, /invalid image: "not an image"; allowed: an image reference/],
    ['nodePort without NodePort', { nodePort: 30080 }, /invalid nodePort: 30080; allowed: a nodePort only with serviceType "NodePort"/],
    ['nodePort out of range', { serviceType: 'NodePort', nodePort: 80 }, /invalid nodePort: 80; allowed: an integer from 30000 to 32767/],
    ['bad ingress host', { ingress: { host: 'not a host' } }, /\[user-service\/Ingress\] invalid ingress.host: "not a host"/],
    ['preStop longer than grace', { terminationGracePeriodSeconds: 10, preStopSleepSeconds: 10 }, /invalid preStopSleepSeconds: 10; allowed: an integer from 0 to 9/],
  ])('%s', (_name, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test('plaintext secrets are refused, naming the three allowed ways, without echoing the value', () => {
    for (const props of [
      { secrets: { DB_PASSWORD: 'hunter2' } },
      { env: { DB_PASSWORD: 'hunter2' } },
      { config: { data: { jwt: { secret: 'hunter2' } } } },
    ]) {
      let message = '';
      try { build(props)(); } catch (e) { message = (e as Error).message; }
      expect(message).toMatch(/fromExistingSecret.*fromExternalSecret.*fromSealedSecret/);
      expect(message).not.toContain('hunter2');
    }
  });

  test('a SealedSecret value that is not ciphertext is refused', () => {
    expect(build({ secrets: SecretSource.fromSealedSecret({ encryptedData: { password: 'hunter2' } }) }))
      .toThrow(/invalid secrets.encryptedData.password: "<redacted>"; allowed: a kubeseal-encrypted value/);
  });

  test('two services with one name in one namespace', () => {
    const app = new App();
    new MicroserviceChart(app, 'a', { image: IMAGE, serviceName: 'user-service' });
    expect(() => new MicroserviceChart(app, 'b', { image: IMAGE, serviceName: 'user-service' }))
      .toThrow('[b] invalid serviceName: "user-service"; allowed: a name not already used in namespace "default" (taken by a)');
    expect(() => new MicroserviceChart(app, 'c', { image: IMAGE, serviceName: 'user-service', namespace: 'other' })).not.toThrow();
  });

  test('secretEnv must name keys the secret has', () => {
    expect(build({
      secrets: SecretSource.fromExistingSecret('creds', ['api-key']),
      secretEnv: { API_KEY: 'apikey' },
    })).toThrow('[user-service] invalid secretEnv.API_KEY: "apikey"; allowed: a key of secret "creds": api-key');
  });
});
