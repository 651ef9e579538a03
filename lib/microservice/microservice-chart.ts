import { Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EnvVar, IntOrString, KubeService, KubeServiceAccount } from '../../imports/k8s';
import { DisruptionBudgetOptions, ServiceDisruptionBudget } from '../availability/service-disruption-budget';
import { ResourceAutoscalingOptions, ResourceHpa } from '../autoscaling/resource-hpa';
import { ServiceConfigMap, ServiceConfigOptions } from '../config/service-config-map';
import { fail } from '../core/errors';
import { parseImage } from '../core/image';
import { podLabels, serviceLabels, WorkloadIdentity } from '../core/labels';
import * as v from '../core/validators';
import { EgressRule, IngressSource, ServiceNetworkPolicy } from '../networking/service-network-policy';
import { IngressOptions, ServiceIngress } from '../networking/service-ingress';
import { MeshWorkloadOptions, meshPodMetadata } from '../mesh/mesh-workload-options';
import { MonitoringOptions, ServiceMonitoring } from '../observability/service-monitoring';
import { ApiAccessRule } from '../rbac/api-access-rule';
import { ServiceApiAccess } from '../rbac/service-api-access';
import { CallerSpec, IMicroservice, ServiceRegistry } from '../platform/service-registry';
import { SecretSource } from '../secrets/secret-source';
import { additionalPorts, HTTP_PORT_NAME, ServiceDeployment, WORKLOAD_DEFAULTS } from '../workload/service-deployment';
import { serviceExposure } from '../networking/service-exposure';
import { WorkloadOptions } from '../workload/workload-options';
import { MigrationOptions, ServiceMigration } from '../workload/service-migration';
import { ServiceJobContext } from '../workload/service-scheduled-task';
import { NamedTrackOptions, trackLabels } from './service-tracks';

/** The version label of a canary track unless one is given. */
export const DEFAULT_CANARY_VERSION = 'v2';

/** A second track of the service, running a new version next to the stable one. */
export interface CanaryTrackOptions {
  /** The new version's image. */
  readonly image: string;
  /** Its `version` label, which is also its Istio subset name. @default "v2" */
  readonly version?: string;
  /** Replicas of the canary Deployment (it is not autoscaled). @default 1 */
  readonly replicas?: number;
}

/** How an autoscaler takes over a workload's replica count. */
export interface AutoscalerAttachment {
  /** The object it renders (the one that owns `spec.replicas`). */
  readonly kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  /** The resources it scales on, for VPA conflict checks. @default none */
  readonly scaledResources?: ReadonlyArray<'cpu' | 'memory'>;
  /** Prop path named in errors. @default "autoscaler" */
  readonly field?: string;
}

/** One Deployment of a service, as routes see it. */
export interface ServiceTrack {
  /** `stable`, `canary`, or the name of an {@link NamedTrackOptions additional track}. */
  readonly track: string;
  /** The `version` label of its pods; its default subset name. */
  readonly version: string;
  /** The Deployment's name. */
  readonly deploymentName: string;
  /** The labels of its pods that subsets may select (selector, recommended and extra track labels). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Props of {@link MicroserviceChart}. */
export interface MicroserviceChartProps extends WorkloadOptions {
  /** The service name: Deployment, Service, ServiceAccount and DNS name. @default the construct id */
  readonly serviceName?: string;
  /** Namespace of every object. @default "default" */
  readonly namespace?: string;
  /** The larger application (`app.kubernetes.io/part-of`). @default the service name */
  readonly partOf?: string;
  /** The track version label (`version`), part of the immutable selector; not the image tag. @default "v1" */
  readonly version?: string;
  /** Replica count when no autoscaler manages the service; refused together with an autoscaler. @default 2 */
  readonly replicas?: number;
  /** Port of the Service (clients call `http://<service>:<servicePort>`). @default 80 */
  readonly servicePort?: number;
  /** `LoadBalancer` exposes the Service through the cloud's load balancer (see serviceAnnotations). @default "ClusterIP" */
  readonly serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** Annotations of the Service, e.g. the cloud load balancer's (`service.beta.kubernetes.io/aws-load-balancer-scheme`). @default none */
  readonly serviceAnnotations?: Record<string, string>;
  /** Client CIDRs a LoadBalancer admits. @default everyone */
  readonly loadBalancerSourceRanges?: string[];
  /** A headless Service (`clusterIP: None`): DNS returns the pods' addresses (client-side load balancing, gRPC). ClusterIP only. @default false */
  readonly headless?: boolean;
  /** Fixed node port (NodePort only). @default allocated by the cluster */
  readonly nodePort?: number;
  /** Typed configuration, rendered as a content-hashed ConfigMap. @default none */
  readonly config?: ServiceConfigOptions;
  /** Where the service's secret values come from; never plaintext. @default none */
  readonly secrets?: SecretSource;
  /**
   * Environment variable → key of the secret. @default every key of the secret, as an
   * upper-case variable name (`db-password` → `DB_PASSWORD`)
   */
  readonly secretEnv?: Record<string, string>;
  /**
   * CPU/memory HPA; `false` for a fixed replica count or for an autoscaler attached separately
   * (PrometheusHpa, KEDA).
   * @default min 2, max 10, CPU 70 %, memory 80 %
   */
  readonly autoscaling?: ResourceAutoscalingOptions | false;
  /** PodDisruptionBudget; `false` for none. @default maxUnavailable 1 whenever more than one replica can run */
  readonly disruptionBudget?: DisruptionBudgetOptions | false;
  /**
   * Services of this app (same namespace) allowed to call this one, by name or with the methods
   * and paths they may use. Drives the NetworkPolicies (L4) and MeshSecurity's AuthorizationPolicies (L7).
   * @default none
   */
  readonly callers?: Array<string | CallerSpec>;
  /** Namespaces admitted besides callers. @default the ingress controller's when `ingress` is set, and the monitoring namespace on the metrics port */
  readonly ingressSources?: IngressSource[];
  /** Destinations outside the app (databases, caches, external APIs). @default none */
  readonly egress?: EgressRule[];
  /** Namespace of Prometheus, admitted to scrape metrics; `false` to not admit it. @default "monitoring" */
  readonly monitoringNamespace?: string | false;
  /** A NetworkPolicy for the service. @default true */
  readonly networkPolicy?: boolean;
  /** Public exposure through an ingress controller. @default none */
  readonly ingress?: IngressOptions;
  /** A canary track (`<service>-canary` Deployment) behind the same Service; route it with CanaryRoute. @default none */
  readonly canary?: CanaryTrackOptions;
  /**
   * Further tracks, each a Deployment `<service>-<name>` with its own version (and extra labels)
   * behind the same Service: any number of versions at once, routed with CanaryRoute's subsets.
   * @default none
   */
  readonly additionalTracks?: NamedTrackOptions[];
  /** Extra pod labels of the stable (and canary) track that subsets may select, e.g. `{ region: 'us-east' }`. @default none */
  readonly trackLabels?: Record<string, string>;
  /**
   * A database migration run before each rollout: an Argo CD PreSync hook Job with the service's
   * configuration and secrets, in `40-<service>-migration.yaml` (see ServiceMigration).
   * @default none
   */
  readonly migration?: MigrationOptions;
  /**
   * Blue/green without a mesh: the Service selects only the pods of `activeVersion` (one of the
   * tracks), and `<service>-preview` selects the other track for testing. Switching is a one-line
   * change of `activeVersion`. Needs a `canary` track. @default the Service selects every track
   */
  readonly blueGreen?: { readonly activeVersion: string };
  /** Istio sidecar settings of the pods. @default namespace injection, seed 002 proxy resources, app held until the proxy is ready */
  readonly mesh?: MeshWorkloadOptions;
  /**
   * Prometheus Operator and Grafana: a ServiceMonitor (or PodMonitor) on the metrics port, and
   * with `slo` the SLO's PrometheusRule, the canary gates' defaults and a Grafana dashboard.
   * @default none (only the `prometheus.io/*` pod annotations)
   */
  readonly monitoring?: MonitoringOptions;
  /**
   * Kubernetes API access the service needs, e.g. `[{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }]`:
   * a Role and RoleBinding for its ServiceAccount in its namespace, and its token mounted into its
   * pods. Wildcards are refused. @default none (no token mounted)
   */
  readonly apiAccess?: ApiAccessRule[];
}

/**
 * One microservice, production-grade by default: Deployment, Service, ServiceAccount, config,
 * secrets, autoscaling, disruption budget, NetworkPolicy and optional Ingress. Every object is
 * named after the service, never after the construct path.
 */
export class MicroserviceChart extends Chart implements IMicroservice {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly podSelector: Record<string, string>;
  public readonly containerPort: number;
  public readonly additionalPorts: readonly number[];
  public readonly callerNames: readonly string[];
  public readonly callers: readonly CallerSpec[];
  /** Port of the Service. */
  public readonly servicePort: number;
  /** The stable track's Deployment. */
  public readonly deployment: ServiceDeployment;
  /** The canary track's Deployment, when there is one. */
  public readonly canaryDeployment?: ServiceDeployment;
  /** The tracks (stable first). */
  public readonly tracks: readonly ServiceTrack[];
  /** Labels shared by the service's objects. */
  public readonly serviceLabels: Record<string, string>;
  /** The configuration ConfigMap, when `config` is set. */
  public readonly configMap?: ServiceConfigMap;
  /** The migration run before each rollout, when `migration` is set. */
  public readonly migration?: ServiceMigration;
  /** What the service's jobs run with (ServiceScheduledTask): image, ServiceAccount, config, secrets, egress, mesh. */
  public readonly jobContext: ServiceJobContext;
  private autoscaler?: { construct: IConstruct; kind: AutoscalerAttachment['kind']; scaledResources: ReadonlyArray<'cpu' | 'memory'> };
  private vpa?: { construct: IConstruct; updateMode: string; controlledResources: ReadonlyArray<'cpu' | 'memory'> };
  private readonly explicitReplicas?: number;
  private networkPolicy?: ServiceNetworkPolicy;
  private serviceOwner?: IConstruct;
  private workloadController?: IConstruct;

  constructor(scope: Construct, id: string, props: MicroserviceChartProps) {
    const namespace = props?.namespace ?? 'default';
    super(scope, id, { namespace, disableResourceNameHashes: true });
    v.props(this, props, 'MicroserviceChartProps');
    this.serviceName = v.dnsLabel(this, 'serviceName', props.serviceName ?? id);
    this.namespace = v.dnsLabel(this, 'namespace', namespace);
    this.serviceAccountName = this.serviceName;
    this.podSelector = { app: this.serviceName };
    this.containerPort = v.port(this, 'port', props.port ?? WORKLOAD_DEFAULTS.port);
    this.servicePort = v.port(this, 'servicePort', props.servicePort ?? 80);
    const extraPorts = additionalPorts(this, props.additionalPorts);
    extraPorts.forEach((p, i) => {
      if (p.port === this.containerPort) fail(this, `additionalPorts[${i}].port`, p.port, `a port other than the http port (${this.containerPort})`);
      if (p.servicePort === this.servicePort) fail(this, `additionalPorts[${i}].servicePort`, p.servicePort, `a Service port other than the http one (${this.servicePort})`);
    });
    this.additionalPorts = extraPorts.map((p) => p.port);
    this.callers = v.optionalList(this, 'callers', props.callers).map((c, i) => {
      const spec: CallerSpec = typeof c === 'string' ? { service: c }
        : v.object(this, `callers[${i}]`, c, 'a service name, or { service, methods?, paths? }');
      v.dnsLabel(this, typeof c === 'string' ? `callers[${i}]` : `callers[${i}].service`, spec.service);
      v.optionalList(this, `callers[${i}].methods`, spec.methods).forEach((m, j) => {
        if (typeof m !== 'string' || !/^[A-Z]+$/.test(m)) fail(this, `callers[${i}].methods[${j}]`, m, 'an upper-case HTTP method such as "GET"');
      });
      v.optionalList(this, `callers[${i}].paths`, spec.paths).forEach((p, j) => {
        if (typeof p !== 'string' || !/^(\*|\/[^\s*]*\*?|\*[^\s*]+)$/.test(p)) fail(this, `callers[${i}].paths[${j}]`, p, 'a path starting with "/", with "*" only as a prefix or suffix wildcard');
      });
      return spec;
    });
    this.callerNames = this.callers.map((c) => c.service);
    v.unique(this, 'callers', this.callerNames);
    if (this.callerNames.includes(this.serviceName)) fail(this, 'callers', this.serviceName, 'services other than this one');
    const partOf = v.labelValue(this, 'partOf', props.partOf ?? this.serviceName);
    const version = v.labelValue(this, 'version', props.version ?? 'v1');
    this.serviceLabels = serviceLabels({ app: this.serviceName, partOf });
    ServiceRegistry.of(this).register(this);

    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, labels: this.serviceLabels },
      automountServiceAccountToken: false,
    });

    const config = v.optionalObject(this, 'config', props.config, 'an object of ServiceConfigOptions ({ data, mountAs?, … })');
    this.configMap = config && new ServiceConfigMap(this, 'Config', { ...config, serviceName: this.serviceName, labels: this.serviceLabels });
    const secretEnv = this.secretEnv(props);

    const autoscaling = props.autoscaling === false ? undefined
      : v.optionalObject(this, 'autoscaling', props.autoscaling, 'false, or an object of ResourceAutoscalingOptions') ?? {};
    const replicas = v.integer(this, 'replicas', props.replicas ?? 2, 0, 1000);
    this.explicitReplicas = props.replicas ?? undefined;
    const imageTag = parseImage(props.image)?.tag;
    const mesh = meshPodMetadata(this, props.mesh);
    const stableLabels = trackLabels(this, 'trackLabels', props.trackLabels);
    const workload = { ...props, podAnnotations: { ...mesh.annotations, ...props.podAnnotations }, extraPodLabels: { ...stableLabels, ...mesh.labels } };
    const stableIdentity: WorkloadIdentity = { app: this.serviceName, version, instance: this.serviceName, appVersion: imageTag, partOf };
    this.deployment = new ServiceDeployment(this, 'Deployment', {
      ...workload,
      identity: stableIdentity,
      serviceAccountName: this.serviceAccountName,
      // Resolved at synthesis: an autoscaler attached later (PrometheusHpa, KEDA) owns replicas.
      replicas: Lazy.any({ produce: () => (this.autoscaler ? undefined : replicas) }),
      envFrom: this.configMap?.envFrom(),
      referencedEnv: secretEnv,
      volumes: this.configMap?.volumes(),
    });

    const migration = v.optionalObject(this, 'migration', props.migration, 'an object of MigrationOptions ({ command, image?, … })');
    if (migration) {
      this.migration = new ServiceMigration(this, {
        ...migration,
        serviceName: this.serviceName,
        namespace: this.namespace,
        // The version being rolled out: the canary's when there is one (its schema must also serve the stable version).
        defaultImage: typeof props.canary?.image === 'string' ? props.canary.image : props.image,
        imagePullPolicy: props.imagePullPolicy,
        allowUnpinnedImage: props.allowUnpinnedImage,
        labels: this.serviceLabels,
        config,
        secrets: props.secrets,
        secretEnv,
        egress: props.egress,
        mesh,
        imagePullSecrets: props.imagePullSecrets,
        runAsUser: props.runAsUser,
      });
    }

    this.jobContext = {
      serviceName: this.serviceName,
      image: props.image,
      allowUnpinnedImage: props.allowUnpinnedImage,
      imagePullPolicy: props.imagePullPolicy,
      serviceAccountName: this.serviceAccountName,
      labels: this.serviceLabels,
      imagePullSecrets: props.imagePullSecrets,
      config: this.configMap && { name: this.configMap.name, mountAs: this.configMap.mountAs, mountPath: this.configMap.volumes()[0]?.mount.mountPath },
      secretEnv,
      egress: props.egress,
      mesh,
      runAsUser: props.runAsUser,
    };

    const trackOf = (track: string, deployment: ServiceDeployment, identity: WorkloadIdentity, extra: Record<string, string>): ServiceTrack => ({
      track, version: identity.version, deploymentName: deployment.name, labels: { ...extra, ...podLabels(identity) },
    });
    const tracks: ServiceTrack[] = [trackOf('stable', this.deployment, stableIdentity, stableLabels)];
    const canary = v.optionalObject(this, 'canary', props.canary, 'an object of CanaryTrackOptions ({ image, version?, replicas? })');
    if (canary) {
      const canaryVersion = v.labelValue(this, 'canary.version', canary.version ?? DEFAULT_CANARY_VERSION);
      if (canaryVersion === version) fail(this, 'canary.version', canaryVersion, `a version label other than the stable track's ("${version}")`);
      const canaryIdentity: WorkloadIdentity = { app: this.serviceName, version: canaryVersion, instance: `${this.serviceName}-canary`, appVersion: typeof canary.image === 'string' ? parseImage(canary.image)?.tag : undefined, partOf };
      this.canaryDeployment = new ServiceDeployment(this, 'CanaryDeployment', {
        ...workload,
        image: canary.image,
        identity: canaryIdentity,
        serviceAccountName: this.serviceAccountName,
        replicas: v.integer(this, 'canary.replicas', canary.replicas ?? 1, 0, 1000),
        envFrom: this.configMap?.envFrom(),
        referencedEnv: secretEnv,
        volumes: this.configMap?.volumes(),
      });
      tracks.push(trackOf('canary', this.canaryDeployment, canaryIdentity, stableLabels));
    }
    v.optionalList(this, 'additionalTracks', props.additionalTracks).forEach((t, i) => {
      const field = `additionalTracks[${i}]`;
      v.object(this, field, t, 'a NamedTrackOptions object { name, image, version?, labels?, replicas? }');
      const name = v.dnsLabel(this, `${field}.name`, t.name);
      const deploymentName = v.dnsLabel(this, `${field}.name`, `${this.serviceName}-${name}`);
      const trackVersion = v.labelValue(this, `${field}.version`, t.version ?? name);
      const clash = tracks.find((other) => other.version === trackVersion || other.deploymentName === deploymentName || other.track === name);
      if (clash) fail(this, field, name, `a track whose name, Deployment and version label differ from the ${clash.track} track's (${clash.deploymentName}, version "${clash.version}")`);
      v.image(this, `${field}.image`, t.image, props.allowUnpinnedImage);
      const extra = trackLabels(this, `${field}.labels`, t.labels);
      const identity: WorkloadIdentity = { app: this.serviceName, version: trackVersion, instance: deploymentName, appVersion: typeof t.image === 'string' ? parseImage(t.image)?.tag : undefined, partOf };
      const deployment = new ServiceDeployment(this, `Track-${name}`, {
        ...workload,
        extraPodLabels: { ...extra, ...mesh.labels },
        image: t.image,
        identity,
        serviceAccountName: this.serviceAccountName,
        replicas: v.integer(this, `${field}.replicas`, t.replicas ?? 1, 0, 1000),
        envFrom: this.configMap?.envFrom(),
        referencedEnv: secretEnv,
        volumes: this.configMap?.volumes(),
      });
      tracks.push(trackOf(name, deployment, identity, extra));
    });
    this.tracks = tracks;

    let serviceSelector = this.podSelector;
    const blueGreen = v.optionalObject(this, 'blueGreen', props.blueGreen, 'an object { activeVersion }');
    if (blueGreen) {
      if (tracks.length !== 2) fail(this, 'blueGreen', blueGreen, 'blue/green only with a second track (the canary prop) and no further tracks');
      const active = tracks.find((t) => t.version === blueGreen.activeVersion);
      if (!active) fail(this, 'blueGreen.activeVersion', blueGreen.activeVersion, `one of the track versions: ${tracks.map((t) => t.version).join(', ')}`);
      serviceSelector = { ...this.podSelector, version: active.version };
      const preview = tracks.find((t) => t !== active)!;
      this.addTrackService('PreviewService', `${this.serviceName}-preview`, preview.version);
    }

    // Monitoring: the metrics port is named on the Service (`http`, or a `metrics` port of its own) for a ServiceMonitor.
    const monitoringOptions = v.optionalObject(this, 'monitoring', props.monitoring, 'an object of MonitoringOptions ({ serviceMonitor?, slo?, … })');
    const scrapePort = props.metrics === false ? undefined : v.isSet(props.metrics?.port) ? props.metrics!.port : this.containerPort;
    const metricsPortName = scrapePort === this.containerPort ? HTTP_PORT_NAME : 'metrics';
    const serveMetricsPort = monitoringOptions !== undefined && scrapePort !== undefined && metricsPortName === 'metrics';

    const serviceType = v.oneOf(this, 'serviceType', props.serviceType ?? 'ClusterIP', ['ClusterIP', 'NodePort', 'LoadBalancer'] as const);
    if (v.isSet(props.nodePort) && serviceType !== 'NodePort') fail(this, 'nodePort', props.nodePort, 'a nodePort only with serviceType "NodePort"');
    const exposure = serviceExposure(this, serviceType, props);
    new KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels: this.serviceLabels, annotations: exposure.annotations },
      spec: {
        type: serviceType,
        clusterIp: exposure.clusterIp,
        loadBalancerSourceRanges: exposure.loadBalancerSourceRanges,
        selector: serviceSelector,
        ports: [{
          name: HTTP_PORT_NAME,
          port: this.servicePort,
          targetPort: IntOrString.fromString(HTTP_PORT_NAME),
          protocol: 'TCP',
          appProtocol: 'http',
          nodePort: v.isSet(props.nodePort) ? v.nodePort(this, 'nodePort', props.nodePort) : undefined,
        }, ...(serveMetricsPort ? [{ name: 'metrics', port: scrapePort!, targetPort: IntOrString.fromString('metrics'), protocol: 'TCP', appProtocol: 'http' }] : []),
        ...extraPorts.map((p) => ({ name: p.name, port: p.servicePort, targetPort: IntOrString.fromString(p.name), protocol: 'TCP', appProtocol: p.appProtocol }))],
      },
    });
    if (monitoringOptions) {
      new ServiceMonitoring(this, 'Monitoring', {
        ...monitoringOptions,
        service: {
          serviceName: this.serviceName,
          namespace: this.namespace,
          serviceLabels: this.serviceLabels,
          serviceSelector: { 'app.kubernetes.io/name': this.serviceName },
          podSelector: { 'app.kubernetes.io/name': this.serviceName },
          serviceRendered: () => this.node.tryFindChild('Service') !== undefined,
          metrics: scrapePort === undefined ? undefined : { portName: metricsPortName, port: scrapePort, path: props.metrics ? props.metrics.path ?? '/metrics' : '/metrics' },
        },
      });
    }

    let maxReplicas = replicas;
    if (autoscaling) {
      const hpa = new ResourceHpa(this, 'Autoscaler', { ...autoscaling, deploymentName: this.deployment.name, labels: this.serviceLabels });
      this.attachAutoscaler(hpa, { field: 'autoscaling', kind: 'HorizontalPodAutoscaler', scaledResources: hpa.scaledResources });
      maxReplicas = hpa.maxReplicas;
    }

    const disruptionBudget = props.disruptionBudget === false ? false
      : v.optionalObject(this, 'disruptionBudget', props.disruptionBudget, 'false, or an object of DisruptionBudgetOptions');
    if (disruptionBudget !== false && maxReplicas > 1) {
      new ServiceDisruptionBudget(this, 'DisruptionBudget', {
        ...disruptionBudget, name: this.serviceName, selector: () => this.policySelector, maxReplicas, labels: this.serviceLabels,
      });
    }

    if (v.isSet(props.apiAccess)) {
      const access = new ServiceApiAccess(this, 'ApiAccess', { name: this.serviceName, serviceAccountName: this.serviceAccountName, rules: props.apiAccess, labels: this.serviceLabels });
      access.mountTokenInto(this.canaryDeployment ? [this.deployment, this.canaryDeployment] : [this.deployment]);
    }

    const ingress = v.optionalObject(this, 'ingress', props.ingress, 'an object of IngressOptions ({ host, … })');
    if (ingress) {
      new ServiceIngress(this, 'Ingress', { ...ingress, serviceName: this.serviceName, labels: this.serviceLabels });
    }

    if (v.optionalBoolean(this, 'networkPolicy', props.networkPolicy) ?? true) {
      const metricsPort = props.metrics === false ? undefined : props.metrics?.port ?? this.containerPort;
      const monitoring = props.monitoringNamespace ?? 'monitoring';
      const defaultSources: IngressSource[] = [
        ...(ingress ? [{ namespace: ingress.controllerNamespace ?? 'ingress-nginx' }] : []),
        ...(monitoring && metricsPort ? [{ namespace: monitoring, ports: [metricsPort] }] : []),
      ];
      this.networkPolicy = new ServiceNetworkPolicy(this, 'NetworkPolicy', {
        service: this,
        labels: this.serviceLabels,
        ingressSources: props.ingressSources ?? defaultSources,
        egress: props.egress,
      });
    }
  }

  /**
   * Hands `spec.replicas` to an autoscaler. A second autoscaler on the same workload is refused:
   * two controllers writing one replica count fight each other.
   */
  public attachAutoscaler(autoscaler: IConstruct, options: AutoscalerAttachment): void {
    const field = options.field ?? 'autoscaler';
    if (this.autoscaler) {
      fail(this, field, autoscaler.node.path, `at most one autoscaler per workload; ${this.deployment.name} is already scaled by ${this.autoscaler.construct.node.path}`);
    }
    if (this.explicitReplicas !== undefined) {
      fail(this, 'replicas', this.explicitReplicas, `no fixed replica count on an autoscaled workload (${autoscaler.node.path} owns spec.replicas; every apply would reset it)`);
    }
    this.autoscaler = { construct: autoscaler, kind: options.kind, scaledResources: options.scaledResources ?? [] };
    this.checkVpaConflict();
  }

  /**
   * Records a VerticalPodAutoscaler of the workload. One that updates pods (mode other than Off)
   * must not control a resource an HPA scales on: the two would chase each other.
   */
  public attachVpa(vpa: IConstruct, updateMode: string, controlledResources: ReadonlyArray<'cpu' | 'memory'>): void {
    if (this.vpa) fail(this, 'VerticalPodAutoscaler', vpa.node.path, `at most one VPA per workload (${this.vpa.construct.node.path} exists)`);
    this.vpa = { construct: vpa, updateMode, controlledResources };
    this.checkVpaConflict();
  }

  private checkVpaConflict(): void {
    if (!this.vpa || !this.autoscaler || this.vpa.updateMode === 'Off') return;
    const both = this.vpa.controlledResources.filter((r) => this.autoscaler!.scaledResources.includes(r));
    if (both.length > 0) {
      fail(this.vpa.construct, 'updateMode', this.vpa.updateMode,
        `"Off" (recommendations only), or controlledResources without ${both.join(' and ')}: ${this.autoscaler.construct.node.path} scales on ${both.join(' and ')}`);
    }
  }

  /**
   * A ClusterIP Service `name` selecting only the pods of the track `version`: the backend of an
   * ingress-nginx canary, or a blue/green preview. Returns its name.
   */
  public addTrackService(id: string, name: string, version: string): string {
    if (!this.tracks.some((t) => t.version === version)) {
      fail(this, 'version', version, `a track version of ${this.serviceName}: ${this.tracks.map((t) => t.version).join(', ')}`);
    }
    new KubeService(this, id, {
      metadata: { name: v.dnsLabel(this, `${id} name`, name), labels: this.serviceLabels },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.podSelector, version },
        ports: [{ name: HTTP_PORT_NAME, port: this.servicePort, targetPort: IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' }],
      },
    });
    return name;
  }

  /** Admits traffic from another namespace through the service's NetworkPolicy (when it has one). */
  public admitFrom(source: IngressSource): void {
    this.networkPolicy?.addIngressSource(source);
  }

  /**
   * What policies select: the `app` label, or, once a controller runs copies of the pods under
   * another `app` ({@link handOverWorkload}), `app.kubernetes.io/name`, which the copies keep.
   */
  public get policySelector(): Record<string, string> {
    return this.workloadController ? { 'app.kubernetes.io/name': this.serviceName } : this.podSelector;
  }

  /**
   * Lets a controller run copies of the Deployment's pods under another `app` label (Flagger's
   * `<service>-primary` pods: every label copied, `app` renamed): policies then select the pods by
   * `app.kubernetes.io/name` so that they cover the copies too.
   */
  public handOverWorkload(controller: IConstruct): void {
    if (this.workloadController) fail(this, 'Deployment', controller.node.path, `one controller of the pods (already handed to ${this.workloadController.node.path})`);
    this.workloadController = controller;
  }

  /**
   * Hands the Service over to a controller that generates its own (Flagger): the chart then
   * renders none, so Argo CD and the controller do not fight over it.
   */
  public handOverService(owner: IConstruct): void {
    if (this.serviceOwner) fail(this, 'Service', owner.node.path, `one owner of the Service (already handed to ${this.serviceOwner.node.path})`);
    this.serviceOwner = owner;
    this.node.tryRemoveChild('Service');
  }

  /** The autoscaler of the stable Deployment as an object reference (for Flagger's autoscalerRef). */
  public get autoscalerRef(): { apiVersion: string; kind: string; name: string } | undefined {
    if (!this.autoscaler) return undefined;
    const kind = this.autoscaler.kind;
    return { apiVersion: kind === 'ScaledObject' ? 'keda.sh/v1alpha1' : 'autoscaling/v2', kind, name: this.deployment.name };
  }

  /** True when an autoscaler owns the replica count. */
  public get isAutoscaled(): boolean {
    return this.autoscaler !== undefined;
  }

  private secretEnv(props: MicroserviceChartProps): EnvVar[] | undefined {
    const source = SecretSource.check(this, 'secrets', props.secrets);
    const secretEnv = v.isSet(props.secretEnv) ? v.stringMap(this, 'secretEnv', props.secretEnv) : undefined;
    if (!source) {
      if (secretEnv) fail(this, 'secretEnv', Object.keys(secretEnv), 'secretEnv only together with secrets');
      return undefined;
    }
    const bound = source.bind(this, this.serviceName, this.serviceLabels);
    const mapping = secretEnv
      ?? Object.fromEntries(bound.keys.map((key) => [key.replace(/[-.]/g, '_').toUpperCase(), key]));
    return Object.entries(mapping).map(([name, key]) => {
      v.envName(this, 'secretEnv key', name);
      if (!bound.keys.includes(key)) fail(this, `secretEnv.${name}`, key, `a key of secret "${bound.secretName}": ${bound.keys.join(', ')}`);
      return { name, valueFrom: { secretKeyRef: { name: bound.secretName, key } } };
    });
  }
}
