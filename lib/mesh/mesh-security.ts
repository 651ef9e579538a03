import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CustomKinds } from '../core/custom-kinds';
import { fail } from '../core/errors';
import { labelSelector, MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { IMicroservice, ServiceRegistry } from '../platform/service-registry';
import { CanaryRoute } from '../traffic/canary-route';

/** Mutual TLS mode of PeerAuthentication. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** A workload-level mTLS override. */
export interface WorkloadMtls {
  /** The service whose pods it applies to. */
  readonly service: string;
  /** Mode for the workload. @default the namespace's */
  readonly mode?: MtlsMode;
  /** Modes per container port (the app's port or its metrics port). */
  readonly portLevel?: Record<number, MtlsMode>;
}

/** JWT authentication of end-user requests to some services. */
export interface JwtOptions {
  /** Services whose user-facing traffic (through the ingress gateway) must carry a valid token. */
  readonly services: string[];
  /** Token issuer (`iss`). */
  readonly issuer: string;
  /** Where the signing keys are published (https). */
  readonly jwksUri: string;
  /** Accepted audiences (`aud`). @default any */
  readonly audiences?: string[];
  /** Pass the token on to the application. @default true */
  readonly forwardOriginalToken?: boolean;
  /** Claims the token must carry, e.g. `{ role: ['admin', 'user'] }`. @default none */
  readonly requiredClaims?: Record<string, string[]>;
  /** Token subjects accepted (`requestPrincipals` `<issuer>/<subject>`). @default any valid token ("*") */
  readonly subjects?: string[];
}

/**
 * An end-user token required on calls between workloads of the mesh (a workload called by another
 * with the user's token), not only on traffic from the ingress gateway.
 */
export interface WorkloadJwtOptions {
  /** The service whose pods validate the token. */
  readonly service: string;
  /** Token issuer (`iss`). */
  readonly issuer: string;
  /** Where the signing keys are published (https). */
  readonly jwksUri: string;
  /** Accepted audiences (`aud`). @default any */
  readonly audiences?: string[];
  /** Pass the token on to the application. @default true */
  readonly forwardOriginalToken?: boolean;
  /** Declared callers of the service that must present the token. @default every declared caller */
  readonly callers?: string[];
  /** Token subjects accepted (`requestPrincipals` `<issuer>/<subject>`). @default any subject of this issuer (`<issuer>/*`) */
  readonly subjects?: string[];
  /** Claims the token must carry, e.g. `{ groups: ['group1'] }`. @default none */
  readonly requiredClaims?: Record<string, string[]>;
}

/** A DENY rule: requests matching any `rules` entry are refused, whatever allows them. */
export interface DenyPolicy {
  /** Name of the policy. */
  readonly name: string;
  /** The service it applies to. @default every workload of the namespace */
  readonly service?: string;
  /** Conditions (Istio AuthorizationPolicy rules); required, a DENY without rules would mean nothing. */
  readonly rules: Array<{
    readonly from?: Array<{ readonly source: Record<string, string[]> }>;
    readonly to?: Array<{ readonly operation: Record<string, string[]> }>;
    readonly when?: Array<{ readonly key: string; readonly values?: string[]; readonly notValues?: string[] }>;
  }>;
}

/** Props of {@link MeshSecurity}. */
export interface MeshSecurityProps {
  /** The namespace secured (the services of this app in it). */
  readonly namespace: string;
  /** mTLS mode of the namespace. @default "STRICT" */
  readonly mtls?: MtlsMode;
  /** Also set the mesh-wide default (PeerAuthentication `default` in `rootNamespace`). @default not set */
  readonly meshWideMtls?: MtlsMode;
  /** Istio's root namespace. @default "istio-system" */
  readonly rootNamespace?: string;
  /** Workload-level overrides. @default none */
  readonly workloadMtls?: WorkloadMtls[];
  /**
   * Authorization policies at all: per-service ALLOWs from the call graph (and the deny-all,
   * JWT and DENY policies). `false` leaves authorization off, e.g. in a dev namespace reached
   * through an ingress controller outside the mesh, whose plaintext requests carry no identity.
   * @default true
   */
  readonly authorization?: boolean;
  /** An allow-nothing policy for the namespace, so only the explicit allows below let traffic in. @default true */
  readonly denyByDefault?: boolean;
  /** Services reached from outside through the Istio ingress gateway. @default none */
  readonly publicServices?: string[];
  /** Principal of the ingress gateway. @default "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account" */
  readonly gatewayPrincipal?: string;
  /** Paths reachable without any identity (health checks from outside the mesh). @default none */
  readonly unauthenticatedPaths?: string[];
  /** End-user JWT authentication on traffic from the ingress gateway. @default none */
  readonly jwt?: JwtOptions;
  /** End-user JWTs required on calls inside the mesh, per called service. @default none */
  readonly workloadJwt?: WorkloadJwtOptions[];
  /** Explicit DENY policies. @default none */
  readonly deny?: DenyPolicy[];
  /** Principals that exist outside this app and may be named. @default the gateway principal */
  readonly externalPrincipals?: string[];
  /** Percent of requests traced (Telemetry resource for the namespace). @default no Telemetry */
  readonly tracingSamplingPercentage?: number;
  /** Tracing provider name (as configured in the mesh). @default "jaeger" */
  readonly tracingProvider?: string;
}

const DEFAULT_GATEWAY = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';

/**
 * Zero trust for the services of one namespace, derived from their declared callers: mutual TLS,
 * an allow-nothing default, per service an ALLOW policy naming exactly its callers'
 * ServiceAccounts (narrowed to methods and paths where declared), the ingress gateway for public
 * services — with a required end-user JWT where asked — and tracing. Construct it after the
 * services: it reads them from the app's registry.
 */
export class MeshSecurity extends Chart {
  constructor(scope: Construct, id: string, props: MeshSecurityProps) {
    const namespace = props?.namespace;
    super(scope, id, { namespace, disableResourceNameHashes: true });
    v.props(this, props, 'MeshSecurityProps');
    v.dnsLabel(this, 'namespace', namespace);
    const registry = ServiceRegistry.of(this);
    const services = registry.services.filter((s) => s.namespace === namespace);
    const find = (field: string, name: string) => registry.require(this, field, namespace, name);
    const labels = { 'app.kubernetes.io/managed-by': MANAGED_BY };
    const mtls = v.oneOf(this, 'mtls', props.mtls ?? 'STRICT', ['STRICT', 'PERMISSIVE', 'DISABLE'] as const);
    const gateway = v.optionalText(this, 'gatewayPrincipal', props.gatewayPrincipal) ?? DEFAULT_GATEWAY;
    const external = new Set([gateway, ...v.stringList(this, 'externalPrincipals', props.externalPrincipals)]);
    const principalOf = (s: IMicroservice) => `cluster.local/ns/${s.namespace}/sa/${s.serviceAccountName}`;
    const known = new Set([...services.map(principalOf), ...external]);
    const checkPrincipal = (field: string, p: string) => {
      if (!known.has(p)) fail(this, field, p, `a ServiceAccount this app creates or a declared external principal: ${[...known].join(', ')}`);
    };
    checkPrincipal('gatewayPrincipal', gateway);

    // mTLS at mesh, namespace and workload level
    if (props.meshWideMtls) {
      const root = v.dnsLabel(this, 'rootNamespace', props.rootNamespace ?? 'istio-system');
      new ApiObject(this, 'MeshMtls', { ...CustomKinds.PeerAuthentication, metadata: { name: 'default', namespace: root, labels },
        spec: { mtls: { mode: v.oneOf(this, 'meshWideMtls', props.meshWideMtls, ['STRICT', 'PERMISSIVE', 'DISABLE'] as const) } } });
    }
    new ApiObject(this, 'NamespaceMtls', { ...CustomKinds.PeerAuthentication, metadata: { name: 'default', labels }, spec: { mtls: { mode: mtls } } });
    const workloadModes = new Map<string, string>();
    v.optionalList(this, 'workloadMtls', props.workloadMtls).forEach((w, i) => {
      v.object(this, `workloadMtls[${i}]`, w, 'a WorkloadMtls object { service, mode?, portLevel? }');
      const svc = find(`workloadMtls[${i}].service`, w.service);
      const mode = v.isSet(w.mode) ? v.oneOf(this, `workloadMtls[${i}].mode`, w.mode, ['STRICT', 'PERMISSIVE', 'DISABLE'] as const) : undefined;
      const portLevel = Object.entries(v.optionalObject(this, `workloadMtls[${i}].portLevel`, w.portLevel, 'a map of port numbers to mTLS modes') ?? {}).map(([port, m]) => {
        const n = v.port(this, `workloadMtls[${i}].portLevel`, Number(port));
        if (n !== svc.containerPort && !(svc.additionalPorts ?? []).includes(n)) fail(this, `workloadMtls[${i}].portLevel`, n, `a container port of ${svc.serviceName} (${[svc.containerPort, ...(svc.additionalPorts ?? [])].join(', ')}): port-level mTLS applies to the workload's ports`);
        return [String(n), { mode: v.oneOf(this, `workloadMtls[${i}].portLevel.${n}`, m, ['STRICT', 'PERMISSIVE', 'DISABLE'] as const) }];
      });
      if (mode === undefined && portLevel.length === 0) fail(this, `workloadMtls[${i}]`, w, 'a mode and/or portLevel modes');
      workloadModes.set(svc.serviceName, mode ?? mtls);
      new ApiObject(this, `WorkloadMtls${i}`, { ...CustomKinds.PeerAuthentication, metadata: { name: svc.serviceName, labels },
        spec: { selector: labelSelector(() => svc.policySelector), mtls: mode ? { mode } : undefined, portLevelMtls: portLevel.length > 0 ? Object.fromEntries(portLevel) : undefined } });
    });

    const authorization = v.optionalBoolean(this, 'authorization', props.authorization) ?? true;
    if (!authorization) {
      for (const field of ['jwt', 'workloadJwt', 'deny', 'publicServices', 'unauthenticatedPaths'] as const) {
        if (v.isSet(props[field])) fail(this, field, props[field], 'nothing while authorization is false');
      }
    }
    const publicServiceNames = v.optionalList(this, 'publicServices', props.publicServices);

    // End-user authentication: one RequestAuthentication per service, with a rule per issuer.
    const jwtRules = new Map<string, { svc: IMicroservice; rules: any[] }>();
    const addJwtRule = (field: string, svc: IMicroservice, rule: any) => {
      const entry = jwtRules.get(svc.serviceName) ?? { svc, rules: [] };
      if (entry.rules.some((r) => r.issuer === rule.issuer)) fail(this, field, rule.issuer, `one token rule per issuer and service (${svc.serviceName} already validates tokens of ${rule.issuer})`);
      entry.rules.push(rule);
      jwtRules.set(svc.serviceName, entry);
    };
    const checkIssuer = (field: string, t: { issuer: unknown; jwksUri: unknown; audiences?: unknown; forwardOriginalToken?: unknown }) => {
      if (typeof t.jwksUri !== 'string' || !/^https:\/\/\S+$/.test(t.jwksUri)) fail(this, `${field}.jwksUri`, t.jwksUri, 'an https:// URL');
      v.text(this, `${field}.issuer`, t.issuer, 'the token issuer');
      v.stringList(this, `${field}.audiences`, t.audiences as string[]);
      v.optionalBoolean(this, `${field}.forwardOriginalToken`, t.forwardOriginalToken);
    };
    const checkClaims = (field: string, claims: Record<string, string[]> | undefined) =>
      Object.entries(v.optionalObject(this, field, claims, 'a map of claim names to lists of accepted values') ?? {}).map(([claim, values]) => {
        if (!/^[^\s[\]]+$/.test(claim)) fail(this, `${field}.${claim}`, claim, 'a claim name without spaces or brackets');
        v.nonEmpty(this, `${field}.${claim}`, values).forEach((x, i) => v.text(this, `${field}.${claim}[${i}]`, x));
        return { key: `request.auth.claims[${claim}]`, values };
      });
    const requestPrincipals = (field: string, issuer: string, subjects: string[] | undefined, fallback: string) =>
      v.isSet(subjects) ? v.nonEmpty(this, field, subjects).map((subject, i) => `${issuer}/${v.text(this, `${field}[${i}]`, subject, 'a token subject (sub)')}`) : [fallback];
    const jwt = v.optionalObject(this, 'jwt', props.jwt, 'a JwtOptions object { services, issuer, jwksUri, … }');
    const jwtServices = new Set<string>();
    let gatewayPrincipals = ['*'];
    if (jwt) {
      checkIssuer('jwt', jwt);
      gatewayPrincipals = requestPrincipals('jwt.subjects', jwt.issuer, jwt.subjects, '*');
      v.nonEmpty(this, 'jwt.services', jwt.services).forEach((name, i) => {
        const svc = find(`jwt.services[${i}]`, name);
        if (!publicServiceNames.includes(name)) fail(this, `jwt.services[${i}]`, name, 'a service listed in publicServices (tokens are checked on traffic from the gateway)');
        jwtServices.add(name);
        addJwtRule(`jwt.services[${i}]`, svc, { issuer: jwt.issuer, jwksUri: jwt.jwksUri, audiences: jwt.audiences, forwardOriginalToken: jwt.forwardOriginalToken ?? true });
      });
    }
    const claimConditions = checkClaims('jwt.requiredClaims', jwt?.requiredClaims);
    // Tokens inside the mesh: the rules of the named callers in the service's ALLOW policy require them.
    const callerTokens = new Map<string, Array<{ requestPrincipals: string[]; when: any[] }>>();
    v.optionalList(this, 'workloadJwt', props.workloadJwt).forEach((w, i) => {
      const field = `workloadJwt[${i}]`;
      v.object(this, field, w, 'a WorkloadJwtOptions object { service, issuer, jwksUri, callers?, subjects?, requiredClaims? }');
      const svc = find(`${field}.service`, w.service);
      checkIssuer(field, w);
      const callers = v.isSet(w.callers) ? v.nonEmpty(this, `${field}.callers`, w.callers) : svc.callerNames;
      if (callers.length === 0) fail(this, `${field}.callers`, w.callers, `callers of ${svc.serviceName} that send the token: it declares none (its callers prop)`);
      const principals = requestPrincipals(`${field}.subjects`, w.issuer, w.subjects, `${w.issuer}/*`);
      const when = checkClaims(`${field}.requiredClaims`, w.requiredClaims);
      callers.forEach((caller, j) => {
        if (!svc.callerNames.includes(caller)) fail(this, `${field}.callers[${j}]`, caller, `a declared caller of ${svc.serviceName}: ${svc.callerNames.join(', ') || 'none'}`);
        const key = `${svc.serviceName}<-${caller}`;
        callerTokens.set(key, [...callerTokens.get(key) ?? [], { requestPrincipals: principals, when }]);
      });
      addJwtRule(`${field}.issuer`, svc, { issuer: w.issuer, jwksUri: w.jwksUri, audiences: w.audiences, forwardOriginalToken: w.forwardOriginalToken ?? true });
    });
    for (const [name, { svc, rules }] of jwtRules) {
      new ApiObject(this, `Jwt-${name}`, { ...CustomKinds.RequestAuthentication, metadata: { name: `${name}-jwt`, labels },
        spec: { selector: labelSelector(() => svc.policySelector), jwtRules: rules } });
    }

    // Authorization: explicit allows first, then the deny-all, so an apply never blocks traffic it allows.
    const publicServices = new Set(publicServiceNames.map((name, i) => find(`publicServices[${i}]`, name).serviceName));
    const paths = v.optionalList(this, 'unauthenticatedPaths', props.unauthenticatedPaths);
    paths.forEach((p, i) => v.httpPath(this, `unauthenticatedPaths[${i}]`, p));
    for (const svc of authorization ? services : []) {
      const rules: any[] = svc.callers.flatMap((caller, i) => {
        const from = find(`${svc.serviceName}.callers[${i}]`, caller.service);
        const principal = principalOf(from);
        checkPrincipal(`${svc.serviceName}.callers[${i}]`, principal);
        const operation = { methods: caller.methods, paths: caller.paths };
        const to = caller.methods || caller.paths ? [{ operation }] : undefined;
        const tokens = callerTokens.get(`${svc.serviceName}<-${caller.service}`);
        if (!tokens) return [{ from: [{ source: { principals: [principal] } }], to }];
        // One rule per accepted issuer: any of them admits the call (rules of a policy are ORed).
        return tokens.map((t) => ({ from: [{ source: { principals: [principal], requestPrincipals: t.requestPrincipals } }], to, when: t.when.length > 0 ? t.when : undefined }));
      });
      if (publicServices.has(svc.serviceName)) {
        rules.push(jwtServices.has(svc.serviceName)
          ? { from: [{ source: { principals: [gateway], requestPrincipals: gatewayPrincipals } }], when: claimConditions.length > 0 ? claimConditions : undefined }
          : { from: [{ source: { principals: [gateway] } }] });
      }
      if (paths.length > 0) rules.push({ to: [{ operation: { paths } }] });
      if (rules.length === 0) continue; // nobody may call it: the deny-all covers it
      new ApiObject(this, `Allow-${svc.serviceName}`, { ...CustomKinds.AuthorizationPolicy, metadata: { name: svc.serviceName, labels },
        spec: { selector: labelSelector(() => svc.policySelector), action: 'ALLOW', rules } });
    }
    v.optionalList(this, 'deny', props.deny).forEach((d, i) => {
      v.object(this, `deny[${i}]`, d, 'a DenyPolicy object { name, service?, rules }');
      v.dnsSubdomain(this, `deny[${i}].name`, d.name);
      v.nonEmpty(this, `deny[${i}].rules`, d.rules);
      const svc = v.isSet(d.service) ? find(`deny[${i}].service`, d.service) : undefined;
      d.rules.forEach((r, j) => {
        v.object(this, `deny[${i}].rules[${j}]`, r, 'an AuthorizationPolicy rule { from?, to?, when? }');
        v.optionalList(this, `deny[${i}].rules[${j}].from`, r.from).forEach((f, k) => {
          v.object(this, `deny[${i}].rules[${j}].from[${k}]`, f, 'an object { source }');
          const source = v.object(this, `deny[${i}].rules[${j}].from[${k}].source`, f.source, 'a map of source fields (principals, namespaces, …) to lists of values');
          v.stringList(this, `deny[${i}].rules[${j}].from[${k}].source.principals`, source.principals)
            .forEach((p, l) => checkPrincipal(`deny[${i}].rules[${j}].from[${k}].source.principals[${l}]`, p));
        });
        v.optionalList(this, `deny[${i}].rules[${j}].to`, r.to).forEach((t, k) => {
          v.object(this, `deny[${i}].rules[${j}].to[${k}]`, t, 'an object { operation }');
          v.object(this, `deny[${i}].rules[${j}].to[${k}].operation`, t.operation, 'a map of operation fields (methods, paths, …) to lists of values');
        });
        v.optionalList(this, `deny[${i}].rules[${j}].when`, r.when).forEach((w, k) => {
          v.object(this, `deny[${i}].rules[${j}].when[${k}]`, w, 'a condition { key, values?, notValues? }');
          v.text(this, `deny[${i}].rules[${j}].when[${k}].key`, w.key, 'a condition key such as "request.headers[x-token]"');
        });
      });
      new ApiObject(this, `Deny-${d.name}`, { ...CustomKinds.AuthorizationPolicy, metadata: { name: d.name, labels },
        spec: { selector: svc ? labelSelector(() => svc.policySelector) : undefined, action: 'DENY', rules: d.rules } });
    });
    if (authorization && (v.optionalBoolean(this, 'denyByDefault', props.denyByDefault) ?? true)) {
      new ApiObject(this, 'DenyAll', { ...CustomKinds.AuthorizationPolicy, metadata: { name: 'allow-nothing', labels }, spec: {} });
    }

    if (v.isSet(props.tracingSamplingPercentage)) {
      new ApiObject(this, 'Tracing', { ...CustomKinds.Telemetry, metadata: { name: 'namespace-tracing', labels },
        spec: { tracing: [{ providers: [{ name: v.optionalText(this, 'tracingProvider', props.tracingProvider) ?? 'jaeger' }], randomSamplingPercentage: v.percentage(this, 'tracingSamplingPercentage', props.tracingSamplingPercentage, true) }] } });
    }

    // A DestinationRule that disables TLS to a host whose pods require mTLS would break every call.
    this.node.addValidation({
      validate: () => this.node.root.node.findAll()
        .filter((c): c is CanaryRoute => c instanceof CanaryRoute && c.service.namespace === namespace && c.tlsModes.includes('DISABLE'))
        .filter((route) => (workloadModes.get(route.service.serviceName) ?? mtls) === 'STRICT')
        .map((route) => `invalid ${route.node.path} trafficPolicy.tls.mode: "DISABLE"; allowed: ISTIO_MUTUAL (or no tls setting) for ${route.service.serviceName}, whose pods require STRICT mTLS (${this.node.path})`),
    });
  }
}
