import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeLimitRange, KubeNamespace, KubeNetworkPolicy, KubeResourceQuota, Quantity } from '../../imports/k8s';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { ApplyOrder } from '../synth/apply-order';

/** Pod Security Admission level (pod-security.kubernetes.io). */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** Total resources all pods of the namespace may request and use. */
export interface ResourceQuotaOptions {
  readonly requestsCpu?: string;
  readonly requestsMemory?: string;
  readonly limitsCpu?: string;
  readonly limitsMemory?: string;
  /** Maximum number of pods. */
  readonly pods?: number;
  /** Total storage all claims may request, e.g. "500Gi". @default no bound */
  readonly requestsStorage?: string;
  /** Storage per StorageClass, e.g. `{ "rook-ceph-block": "200Gi" }`. @default no bound */
  readonly storageClassRequests?: Record<string, string>;
  /**
   * Object counts: `persistentvolumeclaims`, `services`, `services.loadbalancers`,
   * `services.nodeports`, `secrets`, `configmaps`, or `count/<resource>.<group>` such as
   * `count/jobs.batch`, `count/cronjobs.batch`. @default no bound
   */
  readonly objectCounts?: Record<string, number>;
}

/** Per-container defaults and bounds. */
export interface LimitRangeOptions {
  /** Request given to containers that set none. */
  readonly defaultRequest?: { readonly cpu: string; readonly memory: string };
  /** Limit given to containers that set none. */
  readonly defaultLimit?: { readonly cpu: string; readonly memory: string };
  /** Largest limit a container may set. */
  readonly max?: { readonly cpu: string; readonly memory: string };
  /** Smallest request a container may set. @default none */
  readonly min?: { readonly cpu: string; readonly memory: string };
  /** Bounds of a whole pod (the sum of its containers). @default none */
  readonly pod?: { readonly min?: { readonly cpu: string; readonly memory: string }; readonly max?: { readonly cpu: string; readonly memory: string } };
  /** Bounds of the storage a PersistentVolumeClaim requests, e.g. `{ min: "1Gi", max: "100Gi" }`. @default none */
  readonly persistentVolumeClaim?: { readonly min?: string; readonly max?: string };
}

/** A Pod Security Admission level per mode; modes not given take `podSecurityLevel`. */
export interface PodSecurityModes {
  /** Pods violating it are refused. */
  readonly enforce?: PodSecurityLevel;
  /** Violations are recorded in the audit log. */
  readonly audit?: PodSecurityLevel;
  /** Violations are returned as warnings to the client (kubectl). */
  readonly warn?: PodSecurityLevel;
}

/** Props of {@link PlatformNamespace}. */
export interface PlatformNamespaceProps {
  /** The namespace name. */
  readonly name: string;
  /** `app.kubernetes.io/part-of` of the namespace's objects. @default the namespace name */
  readonly partOf?: string;
  /** Level enforced (and audited and warned) by Pod Security Admission. @default "restricted" */
  readonly podSecurityLevel?: PodSecurityLevel;
  /**
   * A level per mode, e.g. enforce `baseline` while warning and auditing at `restricted` during a
   * migration. Audit and warn may not be looser than enforce (they would report nothing).
   * @default every mode at podSecurityLevel
   */
  readonly podSecurityModes?: PodSecurityModes;
  /** Policy version the level is pinned to, so a cluster upgrade does not tighten it unannounced. @default "v1.29" */
  readonly podSecurityVersion?: string;
  /** Label the namespace for Istio sidecar injection. @default false */
  readonly istioInjection?: boolean;
  /** A ResourceQuota. @default none */
  readonly resourceQuota?: ResourceQuotaOptions;
  /** A LimitRange. @default none */
  readonly limitRange?: LimitRangeOptions;
  /**
   * A NetworkPolicy denying all ingress and egress not allowed by another policy, plus one
   * allowing DNS to kube-system for every pod. Service policies then open the declared paths.
   * @default true
   */
  readonly defaultDenyNetwork?: boolean;
}

/**
 * A namespace set up for production workloads: Pod Security Admission labels, optional sidecar
 * injection, quota and limit range, and a default-deny network baseline. Its file sorts first
 * so `kubectl apply -f` creates the namespace before anything in it.
 */
export class PlatformNamespace extends Chart {
  /** The namespace name. */
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id, { disableResourceNameHashes: true });
    ApplyOrder.set(this, ApplyOrder.NAMESPACE);
    v.props(this, props, 'PlatformNamespaceProps');
    const name = this.namespaceName = v.dnsLabel(this, 'name', props.name);
    const level = v.oneOf(this, 'podSecurityLevel', props.podSecurityLevel ?? 'restricted', ['privileged', 'baseline', 'restricted'] as const);
    const modes = podSecurityModes(this, level, props.podSecurityModes);
    const version = props.podSecurityVersion ?? 'v1.29';
    if (typeof version !== 'string' || !/^v1\.\d+$|^latest$/.test(version)) fail(this, 'podSecurityVersion', version, 'a Kubernetes minor version such as "v1.29", or "latest"');
    const labels = {
      'app.kubernetes.io/part-of': v.labelValue(this, 'partOf', props.partOf ?? name),
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };

    new KubeNamespace(this, 'Namespace', {
      metadata: {
        name,
        labels: {
          ...labels,
          ...Object.fromEntries((['enforce', 'audit', 'warn'] as const).flatMap((mode) => [
            [`pod-security.kubernetes.io/${mode}`, modes[mode]],
            [`pod-security.kubernetes.io/${mode}-version`, version],
          ])),
          ...(v.optionalBoolean(this, 'istioInjection', props.istioInjection) ? { 'istio-injection': 'enabled' } : {}),
        },
      },
    });

    const q = v.optionalObject(this, 'resourceQuota', props.resourceQuota, 'a ResourceQuotaOptions object');
    if (q) {
      const hard: Record<string, Quantity> = {};
      const put = (key: string, field: string, value: string | undefined) => {
        if (v.isSet(value)) hard[key] = Quantity.fromString(v.quantity(this, `resourceQuota.${field}`, value));
      };
      put('requests.cpu', 'requestsCpu', q.requestsCpu);
      put('requests.memory', 'requestsMemory', q.requestsMemory);
      put('limits.cpu', 'limitsCpu', q.limitsCpu);
      put('limits.memory', 'limitsMemory', q.limitsMemory);
      if (v.isSet(q.pods)) hard.pods = Quantity.fromNumber(v.integer(this, 'resourceQuota.pods', q.pods, 1, 100_000));
      put('requests.storage', 'requestsStorage', q.requestsStorage);
      for (const [cls, size] of Object.entries(v.stringMap(this, 'resourceQuota.storageClassRequests', q.storageClassRequests))) {
        v.dnsSubdomain(this, 'resourceQuota.storageClassRequests key', cls);
        put(`${cls}.storageclass.storage.k8s.io/requests.storage`, `storageClassRequests.${cls}`, size);
      }
      for (const [resource, count] of Object.entries(v.optionalObject<Record<string, number>>(this, 'resourceQuota.objectCounts', q.objectCounts, 'a map of object kinds to counts') ?? {})) {
        if (!OBJECT_COUNTS.has(resource) && !/^count\/[a-z0-9-]+(\.[a-z0-9.-]+)?$/.test(resource)) {
          fail(this, 'resourceQuota.objectCounts key', resource, `one of ${[...OBJECT_COUNTS].join(', ')}, or count/<resource>.<group> such as "count/jobs.batch"`);
        }
        hard[resource] = Quantity.fromNumber(v.integer(this, `resourceQuota.objectCounts.${resource}`, count, 0, 1_000_000));
      }
      new KubeResourceQuota(this, 'ResourceQuota', { metadata: { name: `${name}-quota`, namespace: name, labels }, spec: { hard } });
    }

    const l = v.optionalObject(this, 'limitRange', props.limitRange, 'a LimitRangeOptions object');
    if (l) {
      const res = (field: string, value?: { cpu: string; memory: string }) => {
        const r = v.optionalObject(this, `limitRange.${field}`, value, 'an object { cpu, memory } of quantities');
        return r && {
          cpu: Quantity.fromString(v.quantity(this, `limitRange.${field}.cpu`, r.cpu)),
          memory: Quantity.fromString(v.quantity(this, `limitRange.${field}.memory`, r.memory)),
        };
      };
      const pod = v.optionalObject(this, 'limitRange.pod', l.pod, 'an object { min?, max? }');
      const pvc = v.optionalObject(this, 'limitRange.persistentVolumeClaim', l.persistentVolumeClaim, 'an object { min?, max? } of storage quantities');
      const storage = (field: 'min' | 'max') => (v.isSet(pvc?.[field])
        ? { storage: Quantity.fromString(v.quantity(this, `limitRange.persistentVolumeClaim.${field}`, pvc![field])) } : undefined);
      new KubeLimitRange(this, 'LimitRange', {
        metadata: { name: `${name}-limits`, namespace: name, labels },
        spec: {
          limits: [{
            type: 'Container',
            defaultRequest: res('defaultRequest', l.defaultRequest),
            default: res('defaultLimit', l.defaultLimit),
            max: res('max', l.max),
            min: res('min', l.min),
          },
          ...(pod ? [{ type: 'Pod', min: res('pod.min', pod.min), max: res('pod.max', pod.max) }] : []),
          ...(pvc ? [{ type: 'PersistentVolumeClaim', min: storage('min'), max: storage('max') }] : [])],
        },
      });
    }

    if (v.optionalBoolean(this, 'defaultDenyNetwork', props.defaultDenyNetwork) ?? true) {
      new KubeNetworkPolicy(this, 'DefaultDeny', {
        metadata: { name: 'default-deny', namespace: name, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new KubeNetworkPolicy(this, 'AllowDns', {
        metadata: { name: 'allow-dns', namespace: name, labels },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: [{
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            }],
            ports: [
              { protocol: 'UDP', port: IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: IntOrString.fromNumber(53) },
            ],
          }],
        },
      });
      if (props.istioInjection) {
        // Sidecars fetch their configuration and certificates from istiod; without this the
        // default-deny egress would keep every injected pod from ever becoming ready.
        new KubeNetworkPolicy(this, 'AllowIstioControlPlane', {
          metadata: { name: 'allow-istio-control-plane', namespace: name, labels },
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{
              to: [{
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } },
                podSelector: { matchLabels: { app: 'istiod' } },
              }],
              ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(15012) }],
            }],
          },
        });
      }
    }
  }
}

const OBJECT_COUNTS = new Set(['pods', 'persistentvolumeclaims', 'services', 'services.loadbalancers', 'services.nodeports', 'secrets', 'configmaps', 'replicationcontrollers', 'resourcequotas']);
const STRICTNESS: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** The level of each Pod Security mode: `level` unless `modes` says otherwise; audit and warn no looser than enforce. */
function podSecurityModes(scope: Construct, level: PodSecurityLevel, value: PodSecurityModes | undefined | null): Record<'enforce' | 'audit' | 'warn', PodSecurityLevel> {
  const given = v.optionalObject(scope, 'podSecurityModes', value, 'an object { enforce?, audit?, warn? } of levels') ?? {};
  const levels = ['privileged', 'baseline', 'restricted'] as const;
  const at = (mode: 'enforce' | 'audit' | 'warn') => (v.isSet(given[mode]) ? v.oneOf(scope, `podSecurityModes.${mode}`, given[mode], levels) : level);
  const modes = { enforce: at('enforce'), audit: at('audit'), warn: at('warn') };
  for (const mode of ['audit', 'warn'] as const) {
    if (STRICTNESS[modes[mode]] < STRICTNESS[modes.enforce]) {
      fail(scope, `podSecurityModes.${mode}`, modes[mode], `a level at least as strict as enforce ("${modes.enforce}"): a looser one reports nothing that enforce does not already refuse`);
    }
  }
  return modes;
}
