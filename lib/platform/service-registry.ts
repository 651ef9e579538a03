import { IConstruct } from 'constructs';
import { fail, validateAtSynthesis } from '../core/errors';

/** A service allowed to call another, optionally only for some methods and paths (L7, Istio). */
export interface CallerSpec {
  /** The calling service (same namespace). */
  readonly service: string;
  /** HTTP methods it may use, e.g. ["GET", "POST"]. @default any */
  readonly methods?: string[];
  /** Paths it may call; `*` as a prefix or suffix wildcard, e.g. "/api/v1/users/*". @default any */
  readonly paths?: string[];
}

/** What other constructs need to know about a service of the app. */
export interface IMicroservice extends IConstruct {
  /** The service name: Deployment, Service and DNS name. */
  readonly serviceName: string;
  /** The namespace it runs in. */
  readonly namespace: string;
  /** Its ServiceAccount (the identity other policies name). */
  readonly serviceAccountName: string;
  /** Label selector of all its pods (every track): what its Service and Deployments select. */
  readonly podSelector: Record<string, string>;
  /**
   * What policies about the service select (NetworkPolicy, AuthorizationPolicy, PeerAuthentication,
   * RequestAuthentication, PodDisruptionBudget): its pods, including those a controller runs as
   * copies of its Deployment. Read at synthesis, since such a controller may be attached after the
   * policies are defined.
   */
  readonly policySelector: Record<string, string>;
  /** The container port the application listens on. */
  readonly containerPort: number;
  /** Further container ports callers may reach (gRPC, a second API); the NetworkPolicies admit them too. @default none */
  readonly additionalPorts?: readonly number[];
  /** Names of the services allowed to call it. */
  readonly callerNames: readonly string[];
  /** The same callers with their method and path restrictions. */
  readonly callers: readonly CallerSpec[];
}

const REGISTRY = Symbol.for('cdk8s-microservices.ServiceRegistry');

/**
 * The services of one app (one construct tree), so that constructs can resolve each other by
 * name: callers in policies, duplicate detection, call-graph derived egress.
 */
export class ServiceRegistry {
  /** The registry of the tree `scope` belongs to. */
  public static of(scope: IConstruct): ServiceRegistry {
    const root = scope.node.root as IConstruct & { [REGISTRY]?: ServiceRegistry };
    if (!root[REGISTRY]) {
      Object.defineProperty(root, REGISTRY, { value: new ServiceRegistry(), enumerable: false });
    }
    return root[REGISTRY]!;
  }

  private readonly byKey = new Map<string, IMicroservice>();
  /** Caller key → the services that name it as a caller; built on first use, reset on register. */
  private calleeIndex?: Map<string, IMicroservice[]>;

  private constructor() {}

  /**
   * Adds a service; two services with one name in one namespace are refused. Its callers may be
   * defined later in the app: each is resolved once the app is complete, as a validation of the
   * service (`callers[i]`), reported by the synth with every other error before anything renders.
   */
  public register(service: IMicroservice): void {
    const key = `${service.namespace}/${service.serviceName}`;
    const existing = this.byKey.get(key);
    if (existing) {
      fail(service, 'serviceName', service.serviceName,
        `a name not already used in namespace "${service.namespace}" (taken by ${existing.node.path})`);
    }
    this.byKey.set(key, service);
    this.calleeIndex = undefined;
    service.callerNames.forEach((caller, i) => validateAtSynthesis(service, () => {
      this.require(service, `callers[${i}]`, service.namespace, caller);
    }));
  }

  /** All services, in the order they were defined. */
  public get services(): readonly IMicroservice[] {
    return [...this.byKey.values()];
  }

  /** The service `name` in `namespace`, if the app defines one. */
  public find(namespace: string, name: string): IMicroservice | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  /**
   * The service `name` in `namespace`; an unknown name fails with the list of known services.
   * `scope` and `field` say where the name was given.
   */
  public require(scope: IConstruct, field: string, namespace: string, name: string): IMicroservice {
    const found = this.find(namespace, name);
    if (!found) {
      const known = this.services.filter((s) => s.namespace === namespace).map((s) => s.serviceName);
      fail(scope, field, name, `a service of this app in namespace "${namespace}": ${known.join(', ') || '(none defined)'}`);
    }
    return found;
  }

  /** The services that declare `service` among their callers, i.e. the ones it calls. */
  public calleesOf(service: IMicroservice): IMicroservice[] {
    if (!this.calleeIndex) {
      this.calleeIndex = new Map();
      for (const callee of this.byKey.values()) {
        for (const caller of callee.callerNames) {
          const key = `${callee.namespace}/${caller}`;
          const list = this.calleeIndex.get(key);
          if (list) list.push(callee);
          else this.calleeIndex.set(key, [callee]);
        }
      }
    }
    return this.calleeIndex.get(`${service.namespace}/${service.serviceName}`) ?? [];
  }
}
