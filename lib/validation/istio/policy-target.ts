import { checkWorkloadSelector, isSet, itemsOf, Reporter } from './common';

const TARGET_KINDS: Record<string, string> = { 'core/Service': 'Service', 'networking.istio.io/ServiceEntry': 'ServiceEntry', 'gateway.networking.k8s.io/Gateway': 'Gateway' };

/**
 * Reports the workload selection of a policy (AuthorizationPolicy, RequestAuthentication, Telemetry):
 * at most one of `selector`, `targetRef`, `targetRefs`; a selector without wildcards; each target
 * reference named, in the policy's namespace, and of a kind Istio can attach to.
 */
export function checkPolicyTargets(r: Reporter, spec: any): void {
  const used = ['selector', 'targetRef', 'targetRefs'].filter((k) => (k === 'targetRefs' ? itemsOf(spec[k]).length > 0 : isSet(spec[k])));
  if (used.length > 1) r.error(`spec.${used[1]}`, `only one of ${used.join(' or ')} can be set`);
  checkWorkloadSelector(r, 'spec.selector', spec.selector, 'matchLabels');
  checkTargetRef(r, 'spec.targetRef', spec.targetRef);
  itemsOf(spec.targetRefs).forEach((t, i) => checkTargetRef(r, `spec.targetRefs[${i}]`, t));
}

function checkTargetRef(r: Reporter, path: string, ref: any): void {
  if (!isSet(ref)) return;
  if (!ref.name) r.error(`${path}.name`, 'targetRef name must be set');
  if (ref.namespace) r.error(`${path}.namespace`, 'targetRef namespace must not be set: cross-namespace references are not supported');
  const group = ref.group || 'core';
  if (!TARGET_KINDS[`${group}/${ref.kind}`]) {
    r.error(`${path}.kind`, `targetRef must be to a Service (group ""), ServiceEntry (networking.istio.io) or Gateway (gateway.networking.k8s.io), not ${ref.group ?? ''}/${ref.kind}`);
  }
}
