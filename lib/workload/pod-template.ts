import { IConstruct } from 'constructs';
import {
  Affinity, Container, ContainerPort, EnvFromSource, EnvVar, PodTemplateSpec, Quantity, Toleration, TopologySpreadConstraint, Volume, VolumeMount,
} from '../../imports/k8s';
import { fail } from '../core/errors';
import { formatImage } from '../core/image';
import * as v from '../core/validators';
import { refusePlaintextSecret } from '../secrets/plaintext-guard';
import { Probe } from './probe';
import { CONTAINER_RESOURCE_FIELDS, podFieldPath } from './downward-api';
import { renderVolume, VolumeOptions } from './volumes';
import { ResourceOptions } from './workload-options';

/*
 * The one place a pod is hardened. Every workload kind (Deployment, StatefulSet, DaemonSet, Job,
 * CronJob) renders its pod template through {@link buildPodTemplate}, and every container of it —
 * the application's, init steps, sidecars, extra containers — through {@link renderContainer}:
 * the restricted Pod Security profile, resources, the ServiceAccount without a token, probes and
 * the mesh settings cannot differ between kinds because no kind writes them itself.
 */

/** The workload kinds whose pods this library renders. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

/** What a kind's pods must and may do. */
export interface WorkloadKindTraits {
  /** Pods run until replaced (readiness and liveness probes required) or run to completion. */
  readonly runsToCompletion: boolean;
  /** Pod `restartPolicy` values the controller accepts. */
  readonly restartPolicies: ReadonlyArray<'Always' | 'OnFailure' | 'Never'>;
}

/** Traits per kind: the policy check and the builder read the same table. */
export const WORKLOAD_KIND_TRAITS: Readonly<Record<WorkloadKind, WorkloadKindTraits>> = {
  Deployment: { runsToCompletion: false, restartPolicies: ['Always'] },
  StatefulSet: { runsToCompletion: false, restartPolicies: ['Always'] },
  DaemonSet: { runsToCompletion: false, restartPolicies: ['Always'] },
  Job: { runsToCompletion: true, restartPolicies: ['OnFailure', 'Never'] },
  CronJob: { runsToCompletion: true, restartPolicies: ['OnFailure', 'Never'] },
};

/** The container securityContext of the restricted profile: nothing to escalate, nothing to write. */
export function restrictedContainerSecurityContext() {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** The pod securityContext of the restricted profile, running as `runAsUser` (also GID and fsGroup). */
export function restrictedPodSecurityContext(runAsUser: number) {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Defaults of a container's resources (the app's; a sidecar or init step passes its own). */
export const CONTAINER_RESOURCE_DEFAULTS = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' } as const;

/** Requests and limits from {@link ResourceOptions}, validated (`field` is the prop path, e.g. `resources`). */
export function containerResources(scope: IConstruct, field: string, value: ResourceOptions | undefined | null, defaults: ResourceOptions = CONTAINER_RESOURCE_DEFAULTS) {
  const r = v.optionalObject(scope, field, value, 'an object of ResourceOptions') ?? {};
  const cpuRequest = v.quantity(scope, `${field}.cpuRequest`, r.cpuRequest ?? defaults.cpuRequest);
  const memoryRequest = v.quantity(scope, `${field}.memoryRequest`, r.memoryRequest ?? defaults.memoryRequest);
  const cpuLimit = r.cpuLimit === null ? undefined : v.quantity(scope, `${field}.cpuLimit`, r.cpuLimit ?? defaults.cpuLimit);
  const memoryLimit = v.quantity(scope, `${field}.memoryLimit`, r.memoryLimit ?? defaults.memoryLimit);
  v.requestWithinLimit(scope, `${field}.cpuRequest`, cpuRequest, cpuLimit);
  v.requestWithinLimit(scope, `${field}.memoryRequest`, memoryRequest, memoryLimit);
  return {
    requests: { cpu: Quantity.fromString(cpuRequest), memory: Quantity.fromString(memoryRequest) },
    limits: {
      ...(cpuLimit ? { cpu: Quantity.fromString(cpuLimit) } : {}),
      memory: Quantity.fromString(memoryLimit),
    },
  };
}

/** Where an environment variable's value comes from, when it is not a plain value. */
export interface EnvValueSource {
  /** A key of a Secret (one that exists or is created elsewhere). @default not from a Secret */
  readonly secretKey?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  /** A key of a ConfigMap. @default not from a ConfigMap */
  readonly configMapKey?: { readonly name: string; readonly key: string; readonly optional?: boolean };
  /** A field of the pod (downward API), e.g. `metadata.name`, `metadata.namespace`, `status.podIP`, `spec.nodeName`. @default not from a field */
  readonly fieldPath?: string;
  /** A resource of the container (downward API), e.g. `limits.memory`, `requests.cpu`. @default not from a resource */
  readonly resource?: { readonly resource: string; readonly divisor?: string; readonly containerName?: string };
}

/** A whole ConfigMap or Secret as environment variables. */
export interface EnvFromOptions {
  /** Name of the ConfigMap. Exactly one of configMap and secret. @default none */
  readonly configMap?: string;
  /** Name of the Secret. @default none */
  readonly secret?: string;
  /** Prefix of every variable name. @default none */
  readonly prefix?: string;
  /** Start the container even when it does not exist. @default false */
  readonly optional?: boolean;
}

/** A named port of a container. */
export interface ContainerPortOptions {
  /** Its name (an IANA service name: at most 15 characters, lower-case letters, digits, "-"); Services and probes refer to it. */
  readonly name: string;
  /** The port number. */
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Where a volume of the pod is mounted in a container. */
export interface VolumeMountOptions {
  /** Name of a volume of the pod (or a StatefulSet claim template). */
  readonly volume: string;
  /** Absolute path in the container. */
  readonly path: string;
  /** @default true for Secret, ConfigMap, downward API and projected volumes; false otherwise */
  readonly readOnly?: boolean;
  /** A file or directory inside the volume instead of its root. @default the root */
  readonly subPath?: string;
}

/** One container of a pod besides the one a construct builds from its own props. */
export interface ContainerOptions {
  /** Its name, unique in the pod (DNS label). */
  readonly name: string;
  /** The image, pinned by a tag other than `latest` and/or a digest. */
  readonly image: string;
  /** Accept a `latest` or tag-less image. @default false */
  readonly allowUnpinnedImage?: boolean;
  /** @default "IfNotPresent" */
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** Overrides the image's ENTRYPOINT. @default the image's */
  readonly command?: string[];
  /** Overrides the image's CMD. @default the image's */
  readonly args?: string[];
  /** Plain (non-secret) environment variables. @default none */
  readonly env?: Record<string, string>;
  /** Environment variables from Secrets, ConfigMaps or the downward API. @default none */
  readonly envValueFrom?: Record<string, EnvValueSource>;
  /** Whole ConfigMaps or Secrets as environment variables. @default none */
  readonly envFrom?: EnvFromOptions[];
  /** Ports the container listens on. @default none */
  readonly ports?: ContainerPortOptions[];
  /** Requests and limits. @default requests 100m / 128Mi, limits 1 CPU / 512Mi */
  readonly resources?: ResourceOptions;
  /** Required for containers of long-running kinds (not init steps). @default none */
  readonly livenessProbe?: Probe;
  /** Required for containers of long-running kinds (not init steps). @default none */
  readonly readinessProbe?: Probe;
  /** @default none */
  readonly startupProbe?: Probe;
  /** The named port the probes target. @default the first port */
  readonly probePort?: string;
  /** Volumes of the pod mounted into the container. @default none */
  readonly volumeMounts?: VolumeMountOptions[];
  /** UID the container runs as (never 0). @default the pod's */
  readonly runAsUser?: number;
}

/** A container running next to the application for the pod's whole life (log shipper, proxy). */
export interface SidecarOptions extends ContainerOptions {
  /**
   * `true`: a native sidecar (an init container with `restartPolicy: Always`, Kubernetes ≥ 1.29),
   * started before the app and stopped after it, and which does not keep a Job's pod from finishing.
   * `false`: an ordinary container; refused on Jobs and CronJobs, whose pods would never complete.
   * @default true
   */
  readonly native?: boolean;
}

/** A spreading rule of the pods over a topology domain (zone, node). */
export interface TopologySpreadOptions {
  /** Node label of the domain. @default "topology.kubernetes.io/zone" */
  readonly topologyKey?: string;
  /** Largest allowed difference of pod counts between domains. @default 1 */
  readonly maxSkew?: number;
  /** `ScheduleAnyway` prefers, `DoNotSchedule` requires. @default "ScheduleAnyway" */
  readonly whenUnsatisfiable?: 'ScheduleAnyway' | 'DoNotSchedule';
}

/** Containers, volumes and scheduling of a pod beyond its main container. Shared by every workload construct. */
export interface PodOptions {
  /** Steps run to completion, in order, before the containers start. @default none */
  readonly initContainers?: ContainerOptions[];
  /** Containers running next to the app. @default none */
  readonly sidecars?: SidecarOptions[];
  /** Further application containers. @default none */
  readonly extraContainers?: ContainerOptions[];
  /** Volumes of the pod (Secret or ConfigMap files, emptyDir, PVC, downward API, projected). @default none */
  readonly volumes?: VolumeOptions[];
  /** Spread of the pods over zones or nodes (pods of the same `app` are counted). @default none */
  readonly topologySpread?: TopologySpreadOptions[];
  /** Node affinity (required and preferred terms), as Kubernetes writes it. @default none */
  readonly nodeAffinity?: Affinity['nodeAffinity'];
  /** Affinity to other pods (e.g. run next to a cache), as Kubernetes writes it. @default none */
  readonly podAffinity?: Affinity['podAffinity'];
  /**
   * Anti-affinity to other pods (e.g. never on a node running another service's pods), as Kubernetes
   * writes it; its terms are added to the spreading of the workload's own replicas (`antiAffinity`).
   * @default none
   */
  readonly podAntiAffinity?: Affinity['podAntiAffinity'];
  /** PriorityClass of the pods. @default the cluster's default */
  readonly priorityClassName?: string;
}

/** The pod template of one workload. */
export interface PodTemplateProps {
  /** The kind of the workload (what its pods must do: run, or run to completion). */
  readonly kind: WorkloadKind;
  /** Labels of the pods. */
  readonly labels: Record<string, string>;
  /** Annotations of the pods. @default none */
  readonly annotations?: Record<string, string>;
  /** ServiceAccount of the pods (its token is never mounted). */
  readonly serviceAccountName: string;
  /** UID/GID of the pods. */
  readonly runAsUser: number;
  /** @default Kubernetes' (30) */
  readonly terminationGracePeriodSeconds?: number;
  /** @default Kubernetes' (Always) for long-running kinds; required for Jobs */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Names of image pull Secrets. @default none */
  readonly imagePullSecrets?: readonly string[];
  /** The containers the construct built itself ({@link renderContainer}), first the main one. */
  readonly containers: Container[];
  /** Volumes the construct adds itself (writable paths, config files). @default none */
  readonly volumes?: Volume[];
  /** Containers, volumes and scheduling given by the user. @default none */
  readonly pod?: PodOptions;
  /** Prop path of `pod` in errors. @default "" (the props themselves) */
  readonly podField?: string;
  /** Names of StatefulSet claim templates, which mounts may name too. @default none */
  readonly claimTemplateNames?: readonly string[];
  /** @default any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default none */
  readonly tolerations?: Toleration[];
  /** Pod anti-affinity the construct derives (spreading its own replicas). @default none */
  readonly podAntiAffinity?: Affinity['podAntiAffinity'];
  /** Selector of the pods counted by topology spreading. @default `app` of `labels` */
  readonly spreadSelector?: Record<string, string>;
}

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function prefixed(prefix: string, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

/** Plain environment variables, each refused when it looks like a secret. */
export function plainEnv(scope: IConstruct, field: string, value: Record<string, string> | undefined | null): EnvVar[] {
  return Object.entries(v.stringMap(scope, field, value)).map(([name, val]) => {
    v.envName(scope, `${field} key`, name);
    refusePlaintextSecret(scope, `${field}.${name}`, name, val);
    return { name, value: val };
  });
}

/** `valueFrom` environment variables: Secret or ConfigMap keys, pod fields, container resources. */
export function valueFromEnv(scope: IConstruct, field: string, value: Record<string, EnvValueSource> | undefined | null): EnvVar[] {
  const map = v.optionalObject<Record<string, EnvValueSource>>(scope, field, value, 'a map of variable names to EnvValueSource') ?? {};
  return Object.entries(map).map(([name, raw]) => {
    v.envName(scope, `${field} key`, name);
    const f = `${field}.${name}`;
    const src = v.object(scope, f, raw, 'an EnvValueSource: exactly one of secretKey, configMapKey, fieldPath, resource');
    const given = (['secretKey', 'configMapKey', 'fieldPath', 'resource'] as const).filter((k) => v.isSet(src[k]));
    if (given.length !== 1) fail(scope, f, src, 'exactly one of secretKey, configMapKey, fieldPath, resource');
    const keyRef = (k: 'secretKey' | 'configMapKey') => {
      const ref = v.object(scope, `${f}.${k}`, src[k], 'an object { name, key, optional? }');
      return {
        name: v.dnsSubdomain(scope, `${f}.${k}.name`, ref.name),
        key: v.text(scope, `${f}.${k}.key`, ref.key),
        optional: v.optionalBoolean(scope, `${f}.${k}.optional`, ref.optional),
      };
    };
    switch (given[0]) {
      case 'secretKey': return { name, valueFrom: { secretKeyRef: keyRef('secretKey') } };
      case 'configMapKey': return { name, valueFrom: { configMapKeyRef: keyRef('configMapKey') } };
      case 'fieldPath': return { name, valueFrom: { fieldRef: { fieldPath: podFieldPath(scope, `${f}.fieldPath`, src.fieldPath) } } };
      default: {
        const r = v.object(scope, `${f}.resource`, src.resource, 'an object { resource, divisor?, containerName? }');
        return {
          name,
          valueFrom: {
            resourceFieldRef: {
              resource: v.oneOf(scope, `${f}.resource.resource`, r.resource, CONTAINER_RESOURCE_FIELDS),
              divisor: v.isSet(r.divisor) ? Quantity.fromString(v.quantity(scope, `${f}.resource.divisor`, r.divisor)) : undefined,
              containerName: v.isSet(r.containerName) ? v.dnsLabel(scope, `${f}.resource.containerName`, r.containerName) : undefined,
            },
          },
        };
      }
    }
  });
}

/** `envFrom` entries: whole ConfigMaps or Secrets. */
export function envFromSources(scope: IConstruct, field: string, value: readonly EnvFromOptions[] | undefined | null): EnvFromSource[] {
  return v.optionalList(scope, field, value).map((raw, i) => {
    const f = `${field}[${i}]`;
    const e = v.object(scope, f, raw, 'an object { configMap | secret, prefix?, optional? }');
    if (v.isSet(e.configMap) === v.isSet(e.secret)) fail(scope, f, e, 'exactly one of configMap and secret');
    const optional = v.optionalBoolean(scope, `${f}.optional`, e.optional);
    const prefix = v.isSet(e.prefix) ? v.envName(scope, `${f}.prefix`, e.prefix) : undefined;
    return v.isSet(e.configMap)
      ? { prefix, configMapRef: { name: v.dnsSubdomain(scope, `${f}.configMap`, e.configMap), optional } }
      : { prefix, secretRef: { name: v.dnsSubdomain(scope, `${f}.secret`, e.secret), optional } };
  });
}

/** Container ports, names unique and valid IANA service names. */
export function containerPorts(scope: IConstruct, field: string, value: readonly ContainerPortOptions[] | undefined | null): ContainerPort[] {
  const ports = v.optionalList(scope, field, value).map((raw, i) => {
    const p = v.object(scope, `${field}[${i}]`, raw, 'an object { name, port, protocol? }');
    if (typeof p.name !== 'string' || p.name.length > 15 || !IANA_SVC_NAME.test(p.name) || p.name.includes('--')) {
      fail(scope, `${field}[${i}].name`, p.name, 'a port name: at most 15 lower-case letters, digits and "-", with a letter, no "--"');
    }
    return {
      name: p.name,
      containerPort: v.port(scope, `${field}[${i}].port`, p.port),
      protocol: v.oneOf(scope, `${field}[${i}].protocol`, p.protocol ?? 'TCP', ['TCP', 'UDP', 'SCTP'] as const),
    };
  });
  v.unique(scope, `${field} names`, ports.map((p) => p.name));
  v.unique(scope, `${field} numbers`, ports.map((p) => `${p.containerPort}/${p.protocol}`));
  return ports;
}

/** The prop path each rendered mount was given at, for errors raised once the pod is known. */
const MOUNT_FIELDS = new WeakMap<VolumeMount, string>();

/** Volume mounts; the volume's existence is checked by {@link buildPodTemplate}, which knows the pod. */
export function volumeMounts(scope: IConstruct, field: string, value: readonly VolumeMountOptions[] | undefined | null): VolumeMount[] {
  const mounts = v.optionalList(scope, field, value).map((raw, i) => {
    const m = v.object(scope, `${field}[${i}]`, raw, 'an object { volume, path, readOnly?, subPath? }');
    const subPath = v.optionalText(scope, `${field}[${i}].subPath`, m.subPath);
    if (subPath !== undefined && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      fail(scope, `${field}[${i}].subPath`, subPath, 'a relative path inside the volume, without ".."');
    }
    const mount: VolumeMount = {
      name: v.dnsLabel(scope, `${field}[${i}].volume`, m.volume),
      mountPath: v.absolutePath(scope, `${field}[${i}].path`, m.path),
      readOnly: v.optionalBoolean(scope, `${field}[${i}].readOnly`, m.readOnly),
      subPath,
    };
    MOUNT_FIELDS.set(mount, `${field}[${i}].volume`);
    return mount;
  });
  v.unique(scope, `${field} paths`, mounts.map((m) => m.mountPath));
  return mounts;
}

/** How a container of a pod is used, for what it must have. */
export type ContainerRole = 'app' | 'init' | 'sidecar';

/**
 * One hardened container from {@link ContainerOptions}: restricted securityContext, validated
 * resources (defaults when not given), probes on a named port. `field` is the prop path of the
 * options (`sidecars[0]`). Long-running kinds require readiness and liveness probes on app containers and
 * ordinary sidecars.
 */
export function renderContainer(scope: IConstruct, field: string, raw: ContainerOptions, role: ContainerRole, kind: WorkloadKind, native = true): Container {
  const c = v.object(scope, field, raw, 'an object of ContainerOptions ({ name, image, … })');
  const f = (name: string) => prefixed(field, name);
  const name = v.dnsLabel(scope, f('name'), c.name);
  const image = v.image(scope, f('image'), c.image, v.optionalBoolean(scope, f('allowUnpinnedImage'), c.allowUnpinnedImage));
  const ports = containerPorts(scope, f('ports'), c.ports);
  const probePort = v.isSet(c.probePort) ? c.probePort : ports[0]?.name;
  if (v.isSet(c.probePort) && !ports.some((p) => p.name === c.probePort)) {
    fail(scope, f('probePort'), c.probePort, `the name of one of its ports: ${ports.map((p) => p.name).join(', ') || '(none declared)'}`);
  }
  const probe = (probeField: 'livenessProbe' | 'readinessProbe' | 'startupProbe', defaults: { periodSeconds: number; failureThreshold: number }) => {
    const value = c[probeField];
    if (!v.isSet(value)) return undefined;
    const p = v.instance(scope, f(probeField), value, Probe, 'a Probe: Probe.http("/path") or Probe.tcp()');
    if (role === 'init') fail(scope, f(probeField), value, 'no probe on an init step (it runs to completion)');
    if (!probePort) fail(scope, f(probeField), value, 'a probe only on a container with a port (ports, probePort)');
    return p.render(scope, f(probeField), probePort, { timeoutSeconds: 3, ...defaults });
  };
  const mustProbe = role === 'app' || (role === 'sidecar' && !native);
  if (mustProbe && !WORKLOAD_KIND_TRAITS[kind].runsToCompletion) {
    for (const probeField of ['readinessProbe', 'livenessProbe'] as const) {
      if (!v.isSet(c[probeField])) fail(scope, f(probeField), c[probeField], `a Probe: every container of a ${kind} that keeps running needs readiness and liveness probes`);
    }
  }
  const runAsUser = v.isSet(c.runAsUser) ? v.integer(scope, f('runAsUser'), c.runAsUser, 1, 2 ** 31 - 1) : undefined;
  return {
    name,
    image: formatImage(image),
    imagePullPolicy: v.oneOf(scope, f('imagePullPolicy'), c.imagePullPolicy ?? 'IfNotPresent', ['IfNotPresent', 'Always', 'Never'] as const),
    command: v.isSet(c.command) ? [...v.stringList(scope, f('command'), c.command)] : undefined,
    args: v.isSet(c.args) ? stringArgs(scope, f('args'), c.args) : undefined,
    ports: ports.length > 0 ? ports : undefined,
    env: nonEmpty([...plainEnv(scope, f('env'), c.env), ...valueFromEnv(scope, f('envValueFrom'), c.envValueFrom)]),
    envFrom: nonEmpty(envFromSources(scope, f('envFrom'), c.envFrom)),
    resources: containerResources(scope, f('resources'), c.resources),
    livenessProbe: probe('livenessProbe', { periodSeconds: 10, failureThreshold: 3 }),
    readinessProbe: probe('readinessProbe', { periodSeconds: 5, failureThreshold: 3 }),
    startupProbe: probe('startupProbe', { periodSeconds: 5, failureThreshold: 30 }),
    restartPolicy: role === 'sidecar' && native ? 'Always' : undefined,
    securityContext: { ...restrictedContainerSecurityContext(), ...(runAsUser ? { runAsUser } : {}) },
    volumeMounts: nonEmpty(volumeMounts(scope, f('volumeMounts'), c.volumeMounts)),
  };
}

/**
 * An emptyDir per writable directory, while the root file system stays read-only: `/tmp` becomes
 * the volume `tmp`, `/app/cache` `app-cache`. `field` is the prop path of the list.
 */
export function writableVolumes(scope: IConstruct, field: string, value: readonly string[] | undefined | null, defaults: readonly string[] = ['/tmp']): Array<{ volume: Volume; mount: VolumeMount }> {
  const paths = v.isSet(value) ? v.list(scope, field, value) : [...defaults];
  paths.forEach((p, i) => v.absolutePath(scope, `${field}[${i}]`, p));
  v.unique(scope, field, paths);
  return paths.map((mountPath) => {
    // Readable, and unique because paths are.
    const name = mountPath.slice(1).replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 63) || 'root';
    return { volume: { name, emptyDir: {} }, mount: { name, mountPath } };
  });
}

/** Arguments: any strings, the empty string included. */
export function stringArgs(scope: IConstruct, field: string, value: readonly string[]): string[] {
  return v.list(scope, field, value).map((a, i) => {
    if (typeof a !== 'string') fail(scope, `${field}[${i}]`, a, 'a string');
    return a;
  });
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/**
 * The pod template of a workload of `props.kind`: the restricted pod securityContext, no
 * ServiceAccount token, no service links, the containers given plus the init steps, sidecars and
 * extra containers of `props.pod`, each hardened; container names unique, every mount naming a
 * volume of the pod (or a claim template), sidecars only where the kind lets the pod finish,
 * topology spreading and affinity.
 */
export function buildPodTemplate(scope: IConstruct, props: PodTemplateProps): PodTemplateSpec {
  const kind = props.kind;
  const podField = props.podField ?? '';
  const f = (name: string) => prefixed(podField, name);
  const pod = v.isSet(props.pod) ? v.object(scope, podField || 'pod', props.pod, 'an object of PodOptions') : {} as PodOptions;
  const traits = WORKLOAD_KIND_TRAITS[kind];
  if (props.restartPolicy && !traits.restartPolicies.includes(props.restartPolicy)) {
    fail(scope, 'restartPolicy', props.restartPolicy, `one of ${traits.restartPolicies.map((p) => JSON.stringify(p)).join(', ')} for a ${kind}`);
  }

  const init = v.optionalList(scope, f('initContainers'), pod.initContainers).map((c, i) => renderContainer(scope, f(`initContainers[${i}]`), c, 'init', kind));
  const sidecars = v.optionalList(scope, f('sidecars'), pod.sidecars).map((c, i) => {
    const native = v.optionalBoolean(scope, f(`sidecars[${i}].native`), c?.native) ?? true;
    if (!native && traits.runsToCompletion) {
      fail(scope, f(`sidecars[${i}].native`), false, `true on a ${kind}: an ordinary sidecar container never exits, so the pod would never complete (a native sidecar is stopped once the job's containers finish)`);
    }
    return { native, container: renderContainer(scope, f(`sidecars[${i}]`), c, 'sidecar', kind, native) };
  });
  const extra = v.optionalList(scope, f('extraContainers'), pod.extraContainers).map((c, i) => renderContainer(scope, f(`extraContainers[${i}]`), c, 'app', kind));
  const initContainers = [...sidecars.filter((s) => s.native).map((s) => s.container), ...init];
  const containers = [...props.containers, ...extra, ...sidecars.filter((s) => !s.native).map((s) => s.container)];

  // One name per container across init and app containers (the API server refuses duplicates).
  const seen = new Map<string, string>();
  for (const c of [...initContainers, ...containers]) {
    if (seen.has(c.name)) fail(scope, f('containers'), c.name, `container names unique in the pod ("${c.name}" is used twice)`);
    seen.set(c.name, c.name);
  }

  const userVolumes = v.optionalList(scope, f('volumes'), pod.volumes).map((vol, i) => renderVolume(scope, f(`volumes[${i}]`), vol));
  const volumes = [...(props.volumes ?? []), ...userVolumes];
  const volumeNames = new Set<string>();
  for (const vol of volumes) {
    if (volumeNames.has(vol.name)) fail(scope, f('volumes'), vol.name, `volume names unique in the pod ("${vol.name}" is used twice)`);
    volumeNames.add(vol.name);
  }
  for (const claim of props.claimTemplateNames ?? []) {
    if (volumeNames.has(claim)) fail(scope, f('volumes'), claim, `a name other than the claim template's ("${claim}")`);
    volumeNames.add(claim);
  }
  for (const c of [...initContainers, ...containers]) {
    (c.volumeMounts ?? []).forEach((m, i) => {
      if (!volumeNames.has(m.name)) {
        fail(scope, MOUNT_FIELDS.get(m) ?? `volumeMounts[${i}].volume of container ${c.name}`, m.name, `the name of a volume of the pod: ${[...volumeNames].join(', ') || '(none declared: add it to volumes)'}`);
      }
    });
  }

  const spreadSelector = props.spreadSelector ?? (props.labels.app ? { app: props.labels.app } : props.labels);
  const topologySpreadConstraints: TopologySpreadConstraint[] = v.optionalList(scope, f('topologySpread'), pod.topologySpread).map((raw, i) => {
    const t = v.object(scope, f(`topologySpread[${i}]`), raw, 'an object { topologyKey?, maxSkew?, whenUnsatisfiable? }');
    return {
      topologyKey: v.labelKey(scope, f(`topologySpread[${i}].topologyKey`), t.topologyKey ?? 'topology.kubernetes.io/zone'),
      maxSkew: v.integer(scope, f(`topologySpread[${i}].maxSkew`), t.maxSkew ?? 1, 1, 1000),
      whenUnsatisfiable: v.oneOf(scope, f(`topologySpread[${i}].whenUnsatisfiable`), t.whenUnsatisfiable ?? 'ScheduleAnyway', ['ScheduleAnyway', 'DoNotSchedule'] as const),
      labelSelector: { matchLabels: spreadSelector },
    };
  });
  const nodeAffinity = v.optionalObject(scope, f('nodeAffinity'), pod.nodeAffinity, 'a NodeAffinity');
  const podAffinity = v.optionalObject(scope, f('podAffinity'), pod.podAffinity, 'a PodAffinity');
  const extraAnti = v.optionalObject(scope, f('podAntiAffinity'), pod.podAntiAffinity, 'a PodAntiAffinity');
  const own = props.podAntiAffinity;
  const podAntiAffinity = extraAnti || own ? {
    requiredDuringSchedulingIgnoredDuringExecution: nonEmpty([...(own?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(extraAnti?.requiredDuringSchedulingIgnoredDuringExecution ?? [])]),
    preferredDuringSchedulingIgnoredDuringExecution: nonEmpty([...(own?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...(extraAnti?.preferredDuringSchedulingIgnoredDuringExecution ?? [])]),
  } : undefined;
  const affinity: Affinity = { nodeAffinity, podAffinity, podAntiAffinity };
  const priorityClassName = v.isSet(pod.priorityClassName) ? v.dnsSubdomain(scope, f('priorityClassName'), pod.priorityClassName) : undefined;

  const annotations = { ...props.annotations };
  // In a mesh, a pod that runs to completion must not wait for its proxy: Istio then injects the proxy
  // as a native sidecar (Kubernetes ≥ 1.29), which the kubelet stops once the job's containers exit.
  if (traits.runsToCompletion && props.labels['sidecar.istio.io/inject'] !== 'false') {
    annotations['sidecar.istio.io/nativeSidecar'] = 'true';
  }

  return {
    metadata: { labels: props.labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: props.restartPolicy,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      securityContext: restrictedPodSecurityContext(props.runAsUser),
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      initContainers: nonEmpty(initContainers),
      containers,
      volumes: volumes.length > 0 ? volumes : undefined,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
      affinity: nodeAffinity || podAffinity || podAntiAffinity ? affinity : undefined,
      topologySpreadConstraints: nonEmpty(topologySpreadConstraints),
      priorityClassName,
    },
  };
}
