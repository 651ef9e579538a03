import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

const CLAIMS = Symbol.for('cdk8s-microservices.VirtualServiceHosts');

/** A VirtualService's claim on one host, for in-mesh traffic or on one gateway. */
export interface HostClaim {
  /** Namespace of the VirtualService. */
  readonly namespace: string;
  /** `mesh`, or the gateway as `namespace/name`. */
  readonly gateway: string;
  /** The host routed. */
  readonly host: string;
  /** Who routes it, for messages: e.g. `service user-service`. */
  readonly owner: string;
}

interface Claimed extends HostClaim {
  readonly path: string;
}

/**
 * `name` or `namespace/name` of a gateway, as a VirtualService in `namespace` names it, made
 * absolute (`namespace/name`); `mesh` stays `mesh`.
 */
export function qualifiedGateway(namespace: string, gateway: string): string {
  return gateway === 'mesh' || gateway.includes('/') ? gateway : `${namespace}/${gateway}`;
}

/**
 * Records that `scope` renders the VirtualService of `claim.host` (on `claim.gateway`), refusing
 * a second one. Istio never merges in-mesh VirtualServices of one host (one of them is ignored),
 * and merges gateway-bound ones in no defined order, so the catch-all of either may shadow the
 * other's routes: every host is routed by exactly one construct. Several services behind one
 * public host are routed by path from one {@link GatewayRoute}.
 */
export function claimHost(scope: IConstruct, field: string, claim: HostClaim): void {
  const root = scope.node.root as IConstruct & { [CLAIMS]?: Map<string, Claimed> };
  if (!root[CLAIMS]) Object.defineProperty(root, CLAIMS, { value: new Map<string, Claimed>(), enumerable: false });
  const key = claim.gateway === 'mesh' ? `${claim.namespace}/${claim.host}` : `${claim.gateway}|${claim.host}`;
  const existing = root[CLAIMS]!.get(key);
  if (existing?.path === scope.node.path) return;
  if (existing && claim.gateway === 'mesh') {
    fail(scope, field, claim.host, `a host without a VirtualService yet (${existing.path} already routes ${key})`);
  }
  if (existing) {
    fail(scope, field, claim.host, `a public host no other route claims: ${existing.owner} (${existing.path}) and ${claim.owner} (${scope.node.path}) both route `
      + `"${claim.host}" on gateway ${claim.gateway}, which Istio merges in no defined order; route both from one GatewayRoute by path`);
  }
  root[CLAIMS]!.set(key, { ...claim, path: scope.node.path });
}
