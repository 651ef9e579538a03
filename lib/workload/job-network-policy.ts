import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { EgressRule } from '../networking/service-network-policy';

/**
 * The NetworkPolicy of a job's pods (selected by `app: <name>`): nothing may connect to them, and
 * they reach `egress` only (DNS comes from the namespace baseline). Without it, a namespace that
 * denies by default would keep a migration or a scheduled job from its database.
 */
export function jobNetworkPolicy(scope: Construct, id: string, name: string, labels: Record<string, string>, egressRules: readonly EgressRule[] | undefined | null): KubeNetworkPolicy {
  const egress = v.optionalList(scope, 'egress', egressRules).map((e, i) => {
    v.object(scope, `egress[${i}]`, e, 'an EgressRule { namespace or cidr, podLabels?, ports }');
    if (v.isSet(e.namespace) === v.isSet(e.cidr)) fail(scope, `egress[${i}]`, e, 'exactly one of namespace or cidr');
    return {
      to: [e.cidr ? { ipBlock: { cidr: e.cidr } } : {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': v.dnsLabel(scope, `egress[${i}].namespace`, e.namespace) } },
        ...(e.podLabels ? { podSelector: { matchLabels: e.podLabels } } : {}),
      }],
      ports: v.nonEmpty(scope, `egress[${i}].ports`, e.ports).map((port, j) => ({ protocol: 'TCP', port: IntOrString.fromNumber(v.port(scope, `egress[${i}].ports[${j}]`, port)) })),
    };
  });
  return new KubeNetworkPolicy(scope, id, {
    metadata: { name, labels },
    spec: { podSelector: { matchLabels: { app: name } }, policyTypes: ['Ingress', 'Egress'], egress },
  });
}
