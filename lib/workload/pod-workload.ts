import { Construct } from 'constructs';
import { ContainerPort, EnvVar, IntOrString, KubeNetworkPolicy, KubeServiceAccount, NetworkPolicyPeer, PodTemplateSpec, Toleration } from '../../imports/k8s';
import { serviceLabels } from '../core/labels';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { meshPodMetadata, MeshWorkloadOptions } from '../mesh/mesh-workload-options';
import { EgressRule, IngressSource } from '../networking/service-network-policy';
import { SecretSource } from '../secrets/secret-source';
import { buildPodTemplate, ContainerOptions, PodOptions, renderContainer, WorkloadKind, writableVolumes } from './pod-template';

/**
 * Props shared by the long-running workloads other than a service's Deployment (StatefulSet,
 * DaemonSet): one main container, its ServiceAccount, secrets and NetworkPolicy.
 */
export interface PodWorkloadProps extends Omit<ContainerOptions, 'name'> {
  /** Name of the workload, its ServiceAccount, its main container and its `app` label. */
  readonly name: string;
  /** `app.kubernetes.io/part-of`. @default the name */
  readonly partOf?: string;
  /** Directories that get a writable emptyDir while the root file system stays read-only. @default ["/tmp"] */
  readonly writablePaths?: string[];
  /** Secret values (never plaintext). @default none */
  readonly secrets?: SecretSource;
  /** Environment variable → key of the secret. @default every key, upper-cased (`root-password` → `ROOT_PASSWORD`) */
  readonly secretEnv?: Record<string, string>;
  /** Who may connect (other namespaces, pods); `ports` default to every container port. @default nobody */
  readonly ingressSources?: IngressSource[];
  /** Destinations the pods reach. @default none (DNS through the namespace baseline) */
  readonly egress?: EgressRule[];
  /** Init steps, sidecars, volumes, scheduling. @default none */
  readonly pod?: PodOptions;
  /** Image pull Secrets. @default none */
  readonly imagePullSecrets?: string[];
  /** @default any node */
  readonly nodeSelector?: Record<string, string>;
  /** @default none */
  readonly tolerations?: Toleration[];
  /** Istio sidecar settings. @default the namespace's injection */
  readonly mesh?: MeshWorkloadOptions;
  /** Seconds between SIGTERM and SIGKILL. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Extra pod annotations. @default none */
  readonly podAnnotations?: Record<string, string>;
}

/** What {@link renderPodWorkload} made. */
export interface PodWorkload {
  readonly name: string;
  /** Labels of every object. */
  readonly labels: Record<string, string>;
  /** The (immutable) selector: `app` only. */
  readonly selector: Record<string, string>;
  readonly template: PodTemplateSpec;
  /** Container ports (name → number). */
  readonly ports: readonly ContainerPort[];
}

/**
 * The ServiceAccount, the secret binding and the hardened pod template of a long-running workload
 * of `kind`. `claimTemplateNames`: a StatefulSet's claims, which mounts may name.
 */
export function renderPodWorkload(scope: Construct, kind: WorkloadKind, props: PodWorkloadProps, claimTemplateNames: readonly string[] = []): PodWorkload {
  const name = v.dnsLabel(scope, 'name', props.name);
  const labels = serviceLabels({ app: name, partOf: v.labelValue(scope, 'partOf', props.partOf ?? name) });
  const selector = { app: name };
  new KubeServiceAccount(scope, 'ServiceAccount', { metadata: { name, labels }, automountServiceAccountToken: false });
  const writable = writableVolumes(scope, 'writablePaths', props.writablePaths);
  const secretEnv = bindSecrets(scope, name, labels, props);
  const mesh = meshPodMetadata(scope, props.mesh);
  const container = renderContainer(scope, '', { ...props, name, volumeMounts: props.volumeMounts }, 'app', kind);
  const main = {
    ...container,
    env: [...(container.env ?? []), ...secretEnv],
    volumeMounts: [...writable.map((w) => w.mount), ...(container.volumeMounts ?? [])],
  };
  const template = buildPodTemplate(scope, {
    kind,
    labels: { ...mesh.labels, ...labels, ...selector },
    annotations: { ...mesh.annotations, ...v.stringMap(scope, 'podAnnotations', props.podAnnotations) },
    serviceAccountName: name,
    runAsUser: v.integer(scope, 'runAsUser', props.runAsUser ?? 1000, 1, 2 ** 31 - 1),
    terminationGracePeriodSeconds: v.integer(scope, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds ?? 30, 1, 3600),
    imagePullSecrets: v.isSet(props.imagePullSecrets) ? v.stringList(scope, 'imagePullSecrets', props.imagePullSecrets).map((s, i) => v.dnsSubdomain(scope, `imagePullSecrets[${i}]`, s)) : undefined,
    containers: [main],
    volumes: writable.map((w) => w.volume),
    pod: props.pod,
    podField: 'pod',
    claimTemplateNames,
    nodeSelector: v.isSet(props.nodeSelector) ? v.labels(scope, 'nodeSelector', props.nodeSelector) : undefined,
    tolerations: v.isSet(props.tolerations) ? [...v.list(scope, 'tolerations', props.tolerations)] : undefined,
  });
  return { name, labels, selector, template, ports: container.ports ?? [] };
}

function bindSecrets(scope: Construct, name: string, labels: Record<string, string>, props: PodWorkloadProps): EnvVar[] {
  const source = SecretSource.check(scope, 'secrets', props.secrets);
  const mapping = v.isSet(props.secretEnv) ? v.stringMap(scope, 'secretEnv', props.secretEnv) : undefined;
  if (!source) {
    if (mapping) fail(scope, 'secretEnv', Object.keys(mapping), 'secretEnv only together with secrets');
    return [];
  }
  const bound = source.bind(scope, name, labels);
  const env = mapping ?? Object.fromEntries(bound.keys.map((key) => [key.replace(/[-.]/g, '_').toUpperCase(), key]));
  return Object.entries(env).map(([variable, key]) => {
    v.envName(scope, 'secretEnv key', variable);
    if (!bound.keys.includes(key)) fail(scope, `secretEnv.${variable}`, key, `a key of secret "${bound.secretName}": ${bound.keys.join(', ')}`);
    return { name: variable, valueFrom: { secretKeyRef: { name: bound.secretName, key } } };
  });
}

/**
 * The workload's NetworkPolicy: admits `ingressSources` (on every container port unless they say
 * otherwise) and, with `peers`, the workload's own pods (replication); egress to `egress` and peers.
 */
export function podWorkloadNetworkPolicy(scope: Construct, w: PodWorkload, props: PodWorkloadProps, peers: boolean): KubeNetworkPolicy {
  const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
  const allPorts = w.ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
  const nsPeer = (namespace: string, podLabels?: Record<string, string>): NetworkPolicyPeer => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  });
  const sources = v.optionalList(scope, 'ingressSources', props.ingressSources).map((s, i) => {
    v.object(scope, `ingressSources[${i}]`, s, 'an IngressSource { namespace, podLabels?, ports? }');
    v.dnsLabel(scope, `ingressSources[${i}].namespace`, s.namespace);
    const ports = v.optionalList(scope, `ingressSources[${i}].ports`, s.ports).map((p, j) => v.port(scope, `ingressSources[${i}].ports[${j}]`, p));
    return { from: [nsPeer(s.namespace, s.podLabels)], ports: (ports.length > 0 ? ports : allPorts).map(tcp) };
  });
  const egress = v.optionalList(scope, 'egress', props.egress).map((e, i) => {
    v.object(scope, `egress[${i}]`, e, 'an EgressRule { namespace or cidr, podLabels?, ports }');
    if (v.isSet(e.namespace) === v.isSet(e.cidr)) fail(scope, `egress[${i}]`, e, 'exactly one of namespace or cidr');
    const ports = v.nonEmpty(scope, `egress[${i}].ports`, e.ports).map((p, j) => v.port(scope, `egress[${i}].ports[${j}]`, p));
    return { to: [e.cidr ? { ipBlock: { cidr: e.cidr } } : nsPeer(v.dnsLabel(scope, `egress[${i}].namespace`, e.namespace), e.podLabels)], ports: ports.map(tcp) };
  });
  const self = { podSelector: { matchLabels: w.selector } };
  return new KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name: w.name, labels: w.labels },
    spec: {
      podSelector: { matchLabels: w.selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [...sources, ...(peers && allPorts.length > 0 ? [{ from: [self], ports: allPorts.map(tcp) }] : [])],
      egress: [...egress, ...(peers && allPorts.length > 0 ? [{ to: [self], ports: allPorts.map(tcp) }] : [])],
    },
  });
}
