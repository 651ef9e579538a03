import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { ClusterObject, GroupKind, renderedScope, RenderedScope } from './rendered-scope';

/** Where a project's Applications may deploy: one cluster and the namespaces on it. */
export interface ProjectDestination {
  /** API server of the cluster, e.g. "https://kubernetes.default.svc". */
  readonly server: string;
  /** Namespaces on that cluster. */
  readonly namespaces: string[];
}

/** An output an Application of the project deploys, to derive the project from. */
export interface ProjectTarget {
  /** The app (or chart) whose objects the Application syncs. */
  readonly app: IConstruct;
  /** The cluster it deploys to. */
  readonly server: string;
  /** The Application's destination namespace (where objects without one go). */
  readonly namespace: string;
}

/** Props of {@link ArgoCdProject}. */
export interface ArgoCdProjectProps {
  /** Project name. */
  readonly name: string;
  /** What the project is for. @default none */
  readonly description?: string;
  /** Git repositories its Applications may sync from. */
  readonly sourceRepos: string[];
  /** Clusters and namespaces its Applications may deploy to. */
  readonly destinations: ProjectDestination[];
  /** Namespaced kinds its Applications may create; nothing else. */
  readonly namespaceResources: GroupKind[];
  /** Cluster-scoped objects its Applications may create (by name when `name` is given); nothing else. @default none */
  readonly clusterResources?: Array<GroupKind & { readonly name?: string }>;
  /** Namespace Argo CD runs in. @default "argocd" */
  readonly argoNamespace?: string;
}

/** Props of {@link ArgoCdProject.fromTargets}. */
export interface DerivedProjectProps {
  /** Project name. */
  readonly name: string;
  /** @default none */
  readonly description?: string;
  /** Git repositories its Applications may sync from. */
  readonly sourceRepos: string[];
  /** The outputs its Applications deploy, and where. */
  readonly targets: ProjectTarget[];
  /** @default "argocd" */
  readonly argoNamespace?: string;
}

const HTTPS_SERVER = /^https:\/\/[^\s/]+(\/\S*)?$/;

/** The whitelists and destinations of a project, as checked. */
interface ProjectRules {
  readonly destinations: ReadonlyMap<string, ReadonlySet<string>>;
  readonly namespaced: ReadonlyArray<GroupKind>;
  readonly cluster: ReadonlyArray<GroupKind & { readonly name?: string }>;
}

/**
 * An Argo CD `AppProject`: which repositories, clusters, namespaces and kinds its Applications
 * may use — nothing beyond. {@link fromTargets} derives all of it from what the apps render, so the
 * project admits exactly the platform's objects (least privilege by construction); an
 * Application given a project and the app it syncs checks at synth that the project admits every
 * rendered kind and namespace, rather than failing at sync.
 */
export class ArgoCdProject extends Construct {
  /**
   * A project admitting exactly what `targets` render: their namespaced kinds, their
   * cluster-scoped objects by name, and their namespaces on their clusters. Derived when the
   * project is rendered or checked — once every construct of the targets exists and has been
   * validated — so objects added to a target after this call are included.
   */
  public static fromTargets(scope: Construct, id: string, props: DerivedProjectProps): ArgoCdProject {
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    v.props(where, props, 'DerivedProjectProps');
    const targets = v.nonEmpty(where, 'targets', props.targets).map((t, i) => {
      const target = v.object(where, `targets[${i}]`, t, 'a ProjectTarget { app, server, namespace }');
      if (typeof (target.app as IConstruct | undefined)?.node?.findAll !== 'function') fail(where, `targets[${i}].app`, target.app, 'the App or Chart the Application syncs');
      if (typeof target.server !== 'string' || !HTTPS_SERVER.test(target.server)) fail(where, `targets[${i}].server`, target.server, 'the https:// URL of a cluster API server');
      return { app: target.app, server: target.server, namespace: v.dnsLabel(where, `targets[${i}].namespace`, target.namespace) };
    });
    const derive = (): ArgoCdProjectProps => {
      const namespaced = new Map<string, GroupKind>();
      const cluster = new Map<string, ClusterObject>();
      const destinations = new Map<string, Set<string>>();
      for (const target of targets) {
        const rendered = renderedScope(target.app, target.namespace);
        for (const k of rendered.namespacedKinds) namespaced.set(`${k.group}/${k.kind}`, k);
        for (const o of rendered.clusterObjects) cluster.set(`${o.group}/${o.kind}/${o.name}`, o);
        const set = destinations.get(target.server) ?? new Set<string>();
        for (const ns of [target.namespace, ...rendered.namespaces]) set.add(ns);
        destinations.set(target.server, set);
      }
      return {
        ...props,
        destinations: [...destinations].map(([server, namespaces]) => ({ server, namespaces: [...namespaces] })),
        namespaceResources: [...namespaced.values()],
        clusterResources: [...cluster.values()],
      };
    };
    return new ArgoCdProject(scope, id, { ...props, destinations: [], namespaceResources: [] }, derive);
  }

  /** The project name, for Applications' `spec.project`. */
  public readonly projectName: string;
  private readonly derive?: () => ArgoCdProjectProps;
  private resolved?: ProjectRules;

  /**
   * @param derive internal: computes destinations and whitelists when first needed ({@link fromTargets})
   */
  constructor(scope: Construct, id: string, props: ArgoCdProjectProps, derive?: () => ArgoCdProjectProps) {
    super(scope, id);
    v.props(this, props, 'ArgoCdProjectProps');
    this.projectName = v.dnsSubdomain(this, 'name', props.name);
    if (this.projectName === 'default') fail(this, 'name', props.name, 'a name other than "default" (Argo CD\'s default project admits everything)');
    const repos = v.nonEmpty(this, 'sourceRepos', props.sourceRepos).map((r, i) => {
      if (typeof r !== 'string' || r === '*' || !/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(r)) fail(this, `sourceRepos[${i}]`, r, 'an https://, ssh:// or git@ repository URL (no "*")');
      return r;
    });
    this.derive = derive;
    if (!derive) this.resolved = this.checkRules(props);
    const byKey = (a: any, b: any) => `${a.group}/${a.kind}/${a.name ?? ''}`.localeCompare(`${b.group}/${b.kind}/${b.name ?? ''}`);

    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: {
        name: this.projectName,
        namespace: v.dnsLabel(this, 'argoNamespace', props.argoNamespace ?? 'argocd'),
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
        // Created before the Applications that name it (app of apps).
        annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        description: v.optionalText(this, 'description', props.description),
        sourceRepos: [...new Set(repos)].sort(),
        destinations: Lazy.any({
          produce: () => [...this.rules.destinations].sort(([a], [b]) => a.localeCompare(b))
            .flatMap(([server, namespaces]) => [...namespaces].sort().map((namespace) => ({ server, namespace }))),
        }),
        clusterResourceWhitelist: Lazy.any({
          produce: () => [...new Map(this.rules.cluster.map((k) => [`${k.group}/${k.kind}/${k.name ?? ''}`, k])).values()].sort(byKey)
            .map((k) => ({ group: k.group, kind: k.kind, ...(k.name ? { name: k.name } : {}) })),
        }),
        namespaceResourceWhitelist: Lazy.any({
          produce: () => [...new Map(this.rules.namespaced.map((k) => [`${k.group}/${k.kind}`, k])).values()].sort(byKey).map((k) => ({ group: k.group, kind: k.kind })),
        }),
      },
    });
  }

  /** What of `scope`, deployed to `server`, the project does not admit (empty when everything is). */
  public refusals(scope: RenderedScope, server: string): string[] {
    const rules = this.rules;
    const namespaced = new Set(rules.namespaced.map((k) => `${k.group}/${k.kind}`));
    const cluster = new Set(rules.cluster.map((k) => `${k.group}/${k.kind}/${k.name ?? '*'}`));
    const out: string[] = [];
    const namespaces = rules.destinations.get(server);
    if (!namespaces) return [`cluster ${server} is not a destination`];
    for (const ns of scope.namespaces) if (!namespaces.has(ns)) out.push(`namespace "${ns}" on ${server}`);
    for (const k of scope.namespacedKinds) if (!namespaced.has(`${k.group}/${k.kind}`)) out.push(`kind ${k.kind} (group "${k.group}") in namespaceResourceWhitelist`);
    for (const o of scope.clusterObjects) {
      if (!cluster.has(`${o.group}/${o.kind}/${o.name}`) && !cluster.has(`${o.group}/${o.kind}/*`)) out.push(`cluster-scoped ${o.kind} "${o.name}" (group "${o.group}") in clusterResourceWhitelist`);
    }
    return out;
  }

  /** The destinations and whitelists, derived and checked on first use. */
  private get rules(): ProjectRules {
    if (!this.resolved) this.resolved = this.checkRules(this.derive!());
    return this.resolved;
  }

  private checkRules(props: ArgoCdProjectProps): ProjectRules {
    const destinations = new Map<string, Set<string>>();
    v.nonEmpty(this, 'destinations', props.destinations).forEach((d, i) => {
      const dest = v.object(this, `destinations[${i}]`, d, 'a ProjectDestination { server, namespaces }');
      if (typeof dest.server !== 'string' || !HTTPS_SERVER.test(dest.server)) fail(this, `destinations[${i}].server`, dest.server, 'the https:// URL of a cluster API server');
      const set = destinations.get(dest.server) ?? new Set<string>();
      v.nonEmpty(this, `destinations[${i}].namespaces`, dest.namespaces).forEach((n, j) => set.add(v.dnsLabel(this, `destinations[${i}].namespaces[${j}]`, n)));
      destinations.set(dest.server, set);
    });
    const groupKind = (field: string, value: any) => {
      const gk = v.object(this, field, value, 'a GroupKind { group, kind }');
      if (typeof gk.group !== 'string' || (gk.group !== '' && !/^[a-z0-9.-]+$/.test(gk.group))) fail(this, `${field}.group`, gk.group, 'an API group ("" for the core group)');
      if (typeof gk.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(gk.kind)) fail(this, `${field}.kind`, gk.kind, 'a Kind such as "Deployment" (no "*")');
      return gk;
    };
    const namespaced = v.list(this, 'namespaceResources', props.namespaceResources).map((k, i) => groupKind(`namespaceResources[${i}]`, k));
    const cluster = v.optionalList(this, 'clusterResources', props.clusterResources).map((k, i) => {
      const gk = groupKind(`clusterResources[${i}]`, k);
      return { ...gk, ...(v.isSet(k.name) ? { name: v.dnsSubdomain(this, `clusterResources[${i}].name`, k.name) } : {}) };
    });
    return { destinations, namespaced, cluster };
  }
}
