import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  IntOrString, KubeNetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer,
} from '../../imports/k8s';
import { fail } from '../core/errors';
import { labelSelector } from '../core/labels';
import * as v from '../core/validators';
import { IMicroservice, ServiceRegistry } from '../platform/service-registry';

/** Traffic a service may send outside the app's own services. */
export interface EgressRule {
  /** Pods in this namespace (all of them, or those matching `podLabels`). Exclusive with `cidr`. */
  readonly namespace?: string;
  /** Narrows `namespace` to pods with these labels. @default all pods of the namespace */
  readonly podLabels?: Record<string, string>;
  /** An IP block, e.g. "10.0.5.0/24" for a managed database. Exclusive with `namespace`. */
  readonly cidr?: string;
  /** Destination ports (TCP). */
  readonly ports: number[];
}

/** Traffic a service admits from outside the app's own services. */
export interface IngressSource {
  /** The namespace of the client pods (e.g. "ingress-nginx", "monitoring"). */
  readonly namespace: string;
  /** Narrows to pods with these labels. @default all pods of the namespace */
  readonly podLabels?: Record<string, string>;
  /** Ports admitted. @default the service's container port */
  readonly ports?: number[];
}

/** Props of {@link ServiceNetworkPolicy}. */
export interface ServiceNetworkPolicyProps {
  /** The service the policy protects. */
  readonly service: IMicroservice;
  /** Labels of the NetworkPolicy. */
  readonly labels: Record<string, string>;
  /** Namespaces (ingress controller, monitoring, mesh gateway) admitted besides declared callers. @default none */
  readonly ingressSources?: IngressSource[];
  /** Destinations besides the app's services it calls. @default none */
  readonly egress?: EgressRule[];
}

/**
 * The L4 half of the call graph: a service admits only its declared callers (plus named
 * namespaces) and may only reach the services that declare it as a caller (plus named
 * destinations). Both directions are derived from the same `callers` declarations, resolved at
 * synthesis so services can be declared in any order. DNS is allowed namespace-wide by the
 * namespace's baseline policy.
 */
export class ServiceNetworkPolicy extends Construct {
  private readonly sources: IngressSource[] = [];

  constructor(scope: Construct, id: string, props: ServiceNetworkPolicyProps) {
    super(scope, id);
    v.props(this, props, 'ServiceNetworkPolicyProps');
    const service = v.object(this, 'service', props.service, 'a service of the app (an IMicroservice such as a MicroserviceChart)');
    v.labels(this, 'labels', v.object(this, 'labels', props.labels, 'a map of label keys to label values'));
    const registry = ServiceRegistry.of(this);
    v.optionalList(this, 'ingressSources', props.ingressSources).forEach((s) => this.addIngressSource(s));
    const sources = this.sources;
    const egress = v.optionalList(this, 'egress', props.egress).map((e, i) => {
      v.object(this, `egress[${i}]`, e, 'an EgressRule { namespace or cidr, podLabels?, ports }');
      if (v.isSet(e.namespace) === v.isSet(e.cidr)) {
        fail(this, `egress[${i}]`, e, 'exactly one of namespace or cidr');
      }
      if (v.isSet(e.namespace)) v.dnsLabel(this, `egress[${i}].namespace`, e.namespace);
      if (v.isSet(e.cidr) && (typeof e.cidr !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/.test(e.cidr))) {
        fail(this, `egress[${i}].cidr`, e.cidr, 'an IPv4 or IPv6 CIDR such as "10.0.0.0/16"');
      }
      v.nonEmpty(this, `egress[${i}].ports`, e.ports).forEach((p, j) => v.port(this, `egress[${i}].ports[${j}]`, p));
      if (v.isSet(e.podLabels)) v.labels(this, `egress[${i}].podLabels`, e.podLabels);
      return e;
    });

    const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const nsPeer = (namespace: string, podLabels?: Record<string, string>): NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
    });

    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: service.serviceName, labels: props.labels },
      spec: {
        podSelector: labelSelector(() => service.policySelector),
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({
          // Unknown callers are reported by the service's validation (callers[i]) before rendering.
          produce: (): NetworkPolicyIngressRule[] => [
            ...service.callerNames.flatMap((caller) => registry.find(service.namespace, caller) ?? []).map((from) => (
              { from: [{ podSelector: { matchLabels: from.policySelector } }], ports: [service.containerPort, ...(service.additionalPorts ?? [])].map(tcp) })),
            ...sources.map((s) => ({
              from: [nsPeer(s.namespace, s.podLabels)],
              ports: (s.ports ?? [service.containerPort, ...(service.additionalPorts ?? [])]).map(tcp),
            })),
          ],
        }),
        egress: Lazy.any({
          produce: (): NetworkPolicyEgressRule[] => [
            ...registry.calleesOf(service).map((callee) => ({
              to: [{ podSelector: { matchLabels: callee.policySelector } }],
              ports: [callee.containerPort, ...(callee.additionalPorts ?? [])].map(tcp),
            })),
            ...egress.map((e) => ({
              to: [e.cidr ? { ipBlock: { cidr: e.cidr } } : nsPeer(e.namespace!, e.podLabels)],
              ports: e.ports.map(tcp),
            })),
          ],
        }),
      },
    });
  }

  /** Admits another namespace (e.g. an ingress controller routing to the service). */
  public addIngressSource(source: IngressSource): void {
    const i = this.sources.length;
    v.object(this, `ingressSources[${i}]`, source, 'an IngressSource { namespace, podLabels?, ports? }');
    v.dnsLabel(this, `ingressSources[${i}].namespace`, source.namespace);
    v.optionalList(this, `ingressSources[${i}].ports`, source.ports).forEach((p, j) => v.port(this, `ingressSources[${i}].ports[${j}]`, p));
    if (v.isSet(source.podLabels)) v.labels(this, `ingressSources[${i}].podLabels`, source.podLabels);
    this.sources.push(source);
  }
}
