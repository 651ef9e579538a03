/**
 * Istio's AuthorizationPolicy decision for one request, over rendered policies (a subset of
 * Envoy RBAC semantics: principals, request principals, namespaces, methods, paths, `when`
 * on JWT claims). Used to prove, in tests and checks, that the policies admit exactly the
 * declared call graph.
 */

/** A request as the target's sidecar sees it. */
export interface MeshRequest {
  /** mTLS identity of the caller, e.g. `cluster.local/ns/shop/sa/order-service`; none for plaintext. */
  readonly principal?: string;
  /** `iss/sub` of a validated JWT; none without a token. */
  readonly requestPrincipal?: string;
  /** Claims of the JWT. */
  readonly claims?: Record<string, string | string[]>;
  readonly method: string;
  readonly path: string;
}

/** The workload receiving the request. */
export interface MeshWorkload {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** Istio string match: exact, `prefix*`, `*suffix`, or `*`. */
function matches(patterns: string[] | undefined, value: string | undefined): boolean {
  if (!patterns) return true;
  if (value === undefined) return false;
  return patterns.some((p) => p === '*' || p === value
    || (p.endsWith('*') && value.startsWith(p.slice(0, -1)))
    || (p.startsWith('*') && value.endsWith(p.slice(1))));
}

function namespaceOf(principal: string | undefined): string | undefined {
  return principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
}

function ruleMatches(rule: any, req: MeshRequest): boolean {
  const fromOk = !rule.from || rule.from.some(({ source: s = {} }: any) =>
    matches(s.principals, req.principal)
    && !(s.notPrincipals && matches(s.notPrincipals, req.principal))
    && matches(s.requestPrincipals, req.requestPrincipal)
    && matches(s.namespaces, namespaceOf(req.principal)));
  const toOk = !rule.to || rule.to.some(({ operation: o = {} }: any) =>
    matches(o.methods, req.method) && matches(o.paths, req.path)
    && !(o.notPaths && matches(o.notPaths, req.path)) && !(o.notMethods && matches(o.notMethods, req.method)));
  const whenOk = (rule.when ?? []).every((c: any) => {
    const claim = /^request\.auth\.claims\[([^\]]+)\]$/.exec(c.key)?.[1];
    if (!claim) return false; // unknown condition keys are not evaluated: treat as not matching
    const raw = req.claims?.[claim];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return (!c.values || values.some((x) => c.values.includes(x))) && !(c.notValues && values.some((x) => c.notValues.includes(x)));
  });
  return fromOk && toOk && whenOk;
}

/** Whether `policies` let `req` reach `workload`: any matching DENY denies; with ALLOW policies present, one must match. */
export function isAllowed(policies: readonly any[], workload: MeshWorkload, req: MeshRequest, rootNamespace = 'istio-system'): boolean {
  const applicable = policies.filter((p) => p?.kind === 'AuthorizationPolicy'
    && (p.metadata?.namespace === workload.namespace || p.metadata?.namespace === rootNamespace)
    && Object.entries(p.spec?.selector?.matchLabels ?? {}).every(([k, val]) => workload.labels[k] === val));
  const action = (p: any) => p.spec?.action ?? 'ALLOW';
  if (applicable.some((p) => action(p) === 'DENY' && (p.spec.rules ?? []).some((r: any) => ruleMatches(r, req)))) return false;
  const allows = applicable.filter((p) => action(p) === 'ALLOW');
  return allows.length === 0 || allows.some((p) => (p.spec?.rules ?? []).some((r: any) => ruleMatches(r, req)));
}
