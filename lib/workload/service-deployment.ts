import { Construct } from 'constructs';
import {
  Affinity, Container, EnvFromSource, EnvVar, IntOrString, KubeDeployment, Volume, VolumeMount,
} from '../../imports/k8s';
import { formatImage } from '../core/image';
import { podLabels, selectorLabels, WorkloadIdentity } from '../core/labels';
import * as v from '../core/validators';
import { buildPodTemplate, containerPorts, containerResources, volumeMounts, writableVolumes, plainEnv, restrictedContainerSecurityContext, stringArgs } from './pod-template';
import { Probe } from './probe';
import { AdditionalPortOptions, WorkloadOptions } from './workload-options';
import { fail } from '../core/errors';

/** The name of the container port (and of the Service port): probes and routes refer to it. */
export const HTTP_PORT_NAME = 'http';

/** Defaults of {@link WorkloadOptions}, in one place. */
export const WORKLOAD_DEFAULTS = {
  port: 8080,
  cpuRequest: '100m',
  memoryRequest: '128Mi',
  cpuLimit: '1',
  memoryLimit: '512Mi',
  livenessPath: '/health',
  readinessPath: '/ready',
  logLevel: 'info',
  runAsUser: 1000,
  writablePaths: ['/tmp'],
  terminationGracePeriodSeconds: 30,
  preStopSleepSeconds: 5,
  metricsPath: '/metrics',
} as const;

const APP_PROTOCOLS = ['grpc', 'http', 'http2', 'tcp', 'tls', 'grpc-web', 'mongo', 'mysql', 'redis'];

/** A service's ports besides `http`, validated: names, numbers, appProtocol. */
export function additionalPorts(scope: Construct, value: readonly AdditionalPortOptions[] | undefined | null): Array<Required<AdditionalPortOptions>> {
  const given = v.optionalList(scope, 'additionalPorts', value).map((raw, i) => v.object(scope, `additionalPorts[${i}]`, raw, 'an object { name, port, servicePort?, appProtocol? }'));
  const rendered = containerPorts(scope, 'additionalPorts', given.map((p) => ({ name: p.name, port: p.port })));
  const ports = given.map((p, i) => {
    if (p.name === HTTP_PORT_NAME || p.name === 'metrics') fail(scope, `additionalPorts[${i}].name`, p.name, 'a name other than "http" and "metrics" (the service\'s own ports)');
    const appProtocol = p.appProtocol ?? (APP_PROTOCOLS.includes(p.name) ? p.name : 'tcp');
    if (typeof appProtocol !== 'string' || !(APP_PROTOCOLS.includes(appProtocol) || /^[a-z0-9.-]+\/[a-z0-9-]+$/.test(appProtocol))) {
      fail(scope, `additionalPorts[${i}].appProtocol`, appProtocol, `one of ${APP_PROTOCOLS.join(', ')}, or a prefixed name such as "kubernetes.io/h2c"`);
    }
    return { name: p.name, port: rendered[i].containerPort, servicePort: v.port(scope, `additionalPorts[${i}].servicePort`, p.servicePort ?? p.port), appProtocol };
  });
  v.unique(scope, 'additionalPorts names', ports.map((p) => p.name));
  v.unique(scope, 'additionalPorts ports', ports.map((p) => String(p.port)));
  return ports;
}

/** Props of {@link ServiceDeployment}. */
export interface ServiceDeploymentProps extends WorkloadOptions {
  /** Labels of the pods: service, track version, instance. */
  readonly identity: WorkloadIdentity;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /** Fixed replica count (or a Lazy resolving to one); undefined when an autoscaler owns `spec.replicas`. @default none */
  readonly replicas?: number;
  /** Whole ConfigMaps or Secrets exposed as environment variables. @default none */
  readonly envFrom?: EnvFromSource[];
  /** Environment variables taken from Secrets or the downward API. @default none */
  readonly referencedEnv?: EnvVar[];
  /** Extra pod labels (never part of the selector), e.g. sidecar injection. @default none */
  readonly extraPodLabels?: Record<string, string>;
  /** Extra volumes and where to mount them (config files). @default none */
  readonly volumes?: ReadonlyArray<{ readonly volume: Volume; readonly mount: VolumeMount }>;
}

/**
 * One Deployment of a service: a single application container with the restricted Pod Security
 * profile, probes on the named port, spread over nodes, draining before shutdown. The name is
 * `identity.instance`, never derived from the construct path.
 */
export class ServiceDeployment extends Construct {
  /** The Deployment's name. */
  public readonly name: string;
  /** The rendered Deployment. */
  public readonly resource: KubeDeployment;

  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    v.props(this, props, 'ServiceDeploymentProps');
    const identity = v.object(this, 'identity', props.identity, 'a WorkloadIdentity { app, version, instance, partOf, appVersion? }');
    v.dnsLabel(this, 'identity.app', identity.app);
    v.labelValue(this, 'identity.version', identity.version);
    v.labelValue(this, 'identity.partOf', identity.partOf);
    if (v.isSet(identity.appVersion)) v.labelValue(this, 'identity.appVersion', identity.appVersion);
    v.dnsSubdomain(this, 'serviceAccountName', props.serviceAccountName);
    const imageRef = v.image(this, 'image', props.image, props.allowUnpinnedImage);
    const port = v.port(this, 'port', props.port ?? WORKLOAD_DEFAULTS.port);
    const runAsUser = v.integer(this, 'runAsUser', props.runAsUser ?? WORKLOAD_DEFAULTS.runAsUser, 1, 2 ** 31 - 1);
    const grace = v.integer(this, 'terminationGracePeriodSeconds',
      props.terminationGracePeriodSeconds ?? WORKLOAD_DEFAULTS.terminationGracePeriodSeconds, 1, 3600);
    const preStop = v.integer(this, 'preStopSleepSeconds',
      props.preStopSleepSeconds ?? WORKLOAD_DEFAULTS.preStopSleepSeconds, 0, grace - 1);
    if (typeof props.replicas === 'number') v.integer(this, 'replicas', props.replicas, 0, 1000);
    const antiAffinity = v.oneOf(this, 'antiAffinity', props.antiAffinity ?? 'soft', ['soft', 'hard', 'none'] as const);
    const strategy = v.oneOf(this, 'deploymentStrategy', props.deploymentStrategy ?? 'RollingUpdate', ['RollingUpdate', 'Recreate'] as const);
    v.labels(this, 'nodeSelector', props.nodeSelector);

    this.name = v.dnsLabel(this, 'name', identity.instance);
    const selector = selectorLabels(identity);

    const writable = writableVolumes(this, 'writablePaths', props.writablePaths);
    const volumes = [...writable, ...(props.volumes ?? [])];

    const metricsOptions = props.metrics === false ? undefined
      : v.optionalObject(this, 'metrics', props.metrics, 'false, or an object { path?, port? }') ?? {};
    const metrics = metricsOptions && {
      path: v.httpPath(this, 'metrics.path', metricsOptions.path ?? WORKLOAD_DEFAULTS.metricsPath),
      port: v.port(this, 'metrics.port', metricsOptions.port ?? port),
    };

    const probe = (field: string, value: unknown) => (v.isSet(value)
      ? v.instance(this, field, value, Probe, 'a Probe: Probe.http("/path") or Probe.tcp()') : undefined);
    const liveness = probe('livenessProbe', props.livenessProbe) ?? Probe.http(WORKLOAD_DEFAULTS.livenessPath);
    const readiness = probe('readinessProbe', props.readinessProbe) ?? Probe.http(WORKLOAD_DEFAULTS.readinessPath);
    const startup = props.startupProbe === false ? undefined
      : probe('startupProbe', props.startupProbe) ?? liveness.withTiming({ initialDelaySeconds: 0, periodSeconds: 5, failureThreshold: 30 });
    const imagePullSecrets = v.stringList(this, 'imagePullSecrets', props.imagePullSecrets)
      .map((name, i) => ({ name: v.dnsSubdomain(this, `imagePullSecrets[${i}]`, name) }));

    const container: Container = {
      name: identity.app,
      image: formatImage(imageRef),
      imagePullPolicy: v.oneOf(this, 'imagePullPolicy', props.imagePullPolicy ?? 'IfNotPresent', ['IfNotPresent', 'Always', 'Never'] as const),
      command: v.isSet(props.command) ? [...v.stringList(this, 'command', props.command)] : undefined,
      args: v.isSet(props.args) ? stringArgs(this, 'args', props.args) : undefined,
      ports: [{ name: HTTP_PORT_NAME, containerPort: port, protocol: 'TCP' },
        ...(metrics && metrics.port !== port ? [{ name: 'metrics', containerPort: metrics.port, protocol: 'TCP' }] : []),
        ...additionalPorts(this, props.additionalPorts).map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' }))],
      env: [...this.plainEnv(props), ...(props.referencedEnv ?? [])],
      envFrom: props.envFrom,
      resources: containerResources(this, 'resources', props.resources),
      livenessProbe: liveness.render(this, 'livenessProbe', HTTP_PORT_NAME, { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 }),
      readinessProbe: readiness.render(this, 'readinessProbe', HTTP_PORT_NAME, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
      startupProbe: startup?.render(this, 'startupProbe', HTTP_PORT_NAME, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 30 }),
      lifecycle: preStop > 0 ? { preStop: { sleep: { seconds: preStop } } } : undefined,
      securityContext: restrictedContainerSecurityContext(),
      volumeMounts: [...volumes.map((x) => x.mount), ...volumeMounts(this, 'volumeMounts', props.volumeMounts)],
    };

    this.resource = new KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, labels: podLabels(identity) },
      spec: {
        replicas: props.replicas,
        revisionHistoryLimit: 10,
        selector: { matchLabels: selector },
        strategy: strategy === 'Recreate'
          ? { type: 'Recreate' }
          // Zero unavailable: a new pod must be Ready before an old one goes, so capacity never dips.
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: IntOrString.fromNumber(0), maxSurge: IntOrString.fromNumber(1) } },
        template: buildPodTemplate(this, {
          kind: 'Deployment',
          labels: { ...props.extraPodLabels, ...podLabels(identity) },
          annotations: {
            ...(metrics ? {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(metrics.port),
              'prometheus.io/path': metrics.path,
            } : {}),
            ...v.stringMap(this, 'podAnnotations', props.podAnnotations),
          },
          serviceAccountName: props.serviceAccountName,
          runAsUser,
          terminationGracePeriodSeconds: grace,
          imagePullSecrets: v.isSet(props.imagePullSecrets) ? imagePullSecrets.map((secret) => secret.name) : undefined,
          containers: [container],
          volumes: volumes.map((x) => x.volume),
          pod: props.pod,
          podField: 'pod',
          nodeSelector: props.nodeSelector,
          tolerations: v.isSet(props.tolerations) ? [...v.list(this, 'tolerations', props.tolerations)] : undefined,
          podAntiAffinity: this.antiAffinity(antiAffinity, selector),
        }),
      },
    });
  }

  private plainEnv(props: ServiceDeploymentProps): EnvVar[] {
    const logLevel = v.optionalText(this, 'logLevel', props.logLevel) ?? WORKLOAD_DEFAULTS.logLevel;
    return plainEnv(this, 'env', { LOG_LEVEL: logLevel, ...v.stringMap(this, 'env', props.env) });
  }

  private antiAffinity(mode: 'soft' | 'hard' | 'none', selector: Record<string, string>): Affinity['podAntiAffinity'] {
    // Spread across all tracks of the service (app label only), not just this Deployment's pods.
    const term = { labelSelector: { matchLabels: { app: selector.app } }, topologyKey: 'kubernetes.io/hostname' };
    switch (mode) {
      case 'hard': return { requiredDuringSchedulingIgnoredDuringExecution: [term] };
      case 'soft': return { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
      default: return undefined;
    }
  }
}
