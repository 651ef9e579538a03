import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail, InputLocation, validateAtSynthesis } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { ArgoCdProject } from './argocd-project';
import { renderedScope } from './rendered-scope';

/** The cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Props of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /** Application name, e.g. "ecommerce-prod". */
  readonly name: string;
  /** Git repository Argo CD watches. */
  readonly repoUrl: string;
  /** Directory of the synthesized manifests in the repository, e.g. "dist/prod". */
  readonly path: string;
  /** Branch, tag or commit. @default "main" */
  readonly targetRevision?: string;
  /** Namespace the objects go to (when a manifest names none). */
  readonly destinationNamespace: string;
  /** Target cluster API server. @default "https://kubernetes.default.svc" (the cluster Argo CD runs in) */
  readonly destinationServer?: string;
  /**
   * Argo CD project: its name, or an {@link ArgoCdProject} of this app — then, with `renders`, the
   * project is checked at synth to admit every kind and namespace the Application deploys.
   * @default "default"
   */
  readonly project?: string | ArgoCdProject;
  /** The app (or chart) whose output `path` holds, checked against the project. @default not checked */
  readonly renders?: IConstruct;
  /** Namespace Argo CD runs in. @default "argocd" */
  readonly argoNamespace?: string;
  /** Sync automatically, pruning removed objects and reverting drift. @default true */
  readonly automated?: boolean;
  /**
   * Fields a controller changes in the cluster on purpose (e.g. {@link ArgoRollout}'s
   * `argoCdIgnoreDifferences`: route weights, selectors): not drift, never reverted, also at sync
   * (`RespectIgnoreDifferences`). @default none
   */
  readonly ignoreDifferences?: ArgoCdIgnoreDifference[];
}

/** Fields of some objects Argo CD neither reports as drift nor overwrites. */
export interface ArgoCdIgnoreDifference {
  /** API group of the objects ("" for the core group). */
  readonly group: string;
  /** Kind of the objects. */
  readonly kind: string;
  /** Only the object of this name. @default every object of the kind */
  readonly name?: string;
  /** Only objects in this namespace. @default any namespace */
  readonly namespace?: string;
  /** Fields as JSON pointers, e.g. "/spec/replicas". @default none */
  readonly jsonPointers?: string[];
  /** Fields as jq path expressions, e.g. ".spec.http[].route[].weight". @default none */
  readonly jqPathExpressions?: string[];
}

/** The source, destination and sync policy shared by an Application and an ApplicationSet's template. */
export interface ApplicationSpecInput {
  readonly project: string;
  readonly repoUrl: string;
  readonly targetRevision: string;
  readonly path: string;
  readonly server: string;
  readonly namespace: string;
  readonly automated: boolean;
  /** Fields a controller changes (Argo Rollouts' weights): left out of the diff and of self-heal. @default none */
  readonly ignoreDifferences?: readonly object[];
}

/** `spec` of an Application syncing one directory of `dist/`. */
export function applicationSpec(input: ApplicationSpecInput): Record<string, unknown> {
  return {
    project: input.project,
    source: { repoURL: input.repoUrl, targetRevision: input.targetRevision, path: input.path, directory: { recurse: false } },
    destination: { server: input.server, namespace: input.namespace },
    syncPolicy: {
      ...(input.automated ? { automated: { prune: true, selfHeal: true } } : {}),
      syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true', ...(input.ignoreDifferences?.length ? ['RespectIgnoreDifferences=true'] : [])],
    },
    ignoreDifferences: input.ignoreDifferences?.length ? input.ignoreDifferences : undefined,
  };
}

/** A repository URL Argo CD can clone. */
export function repoUrl(scope: InputLocation, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(value)) fail(scope, field, value, 'an https://, ssh:// or git@ repository URL');
  return value;
}

/** A relative directory of the repository. */
export function repoPath(scope: InputLocation, field: string, value: unknown): string {
  const path = v.text(scope, field, value, 'a relative path inside the repository');
  if (path.startsWith('/') || path.split('/').includes('..')) fail(scope, field, path, 'a relative path inside the repository');
  return path;
}

/** The project's name, and, for an {@link ArgoCdProject} with the rendered app, a synth-time check that it admits it. */
export function projectOf(scope: Construct, project: string | ArgoCdProject | undefined, checks: ReadonlyArray<{ renders?: IConstruct; server: string; namespace: string; field: string; path: string }>): string {
  for (const c of checks) {
    if (v.isSet(c.renders) && typeof (c.renders as IConstruct).node?.findAll !== 'function') {
      fail(scope, c.field === 'renders' ? 'renders' : `${c.field}.renders`, c.renders, 'the App or Chart whose output the Application syncs');
    }
  }
  if (project instanceof ArgoCdProject) {
    for (const c of checks) {
      if (!c.renders) continue;
      validateAtSynthesis(scope, () => {
        const refused = project.refusals(renderedScope(c.renders!, c.namespace), c.server);
        if (refused.length > 0) {
          fail(scope, 'project', project.projectName, `a project admitting everything ${c.path} renders; ${project.projectName} does not admit: ${refused.join('; ')}`);
        }
      });
    }
    return project.projectName;
  }
  return v.optionalText(scope, 'project', project, 'a project name or an ArgoCdProject') ?? 'default';
}

/**
 * An Argo CD `Application` that syncs one environment's directory of `dist/`. Objects removed
 * from Git are pruned last, after everything new is healthy.
 */
export class ArgoCdApplication extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    v.props(this, props, 'ArgoCdApplicationProps');
    const name = v.dnsSubdomain(this, 'name', props.name);
    const url = repoUrl(this, 'repoUrl', props.repoUrl);
    const path = repoPath(this, 'path', props.path);
    const server = v.optionalText(this, 'destinationServer', props.destinationServer) ?? IN_CLUSTER_SERVER;
    const namespace = v.dnsLabel(this, 'destinationNamespace', props.destinationNamespace);
    const ignoreDifferences = v.optionalList(this, 'ignoreDifferences', props.ignoreDifferences).map((d, i) => {
      const f = `ignoreDifferences[${i}]`;
      v.object(this, f, d, 'an object { group, kind, name?, namespace?, jsonPointers?, jqPathExpressions? }');
      if (typeof d.group !== 'string') fail(this, `${f}.group`, d.group, 'an API group ("" for the core group)');
      const jsonPointers = v.optionalList(this, `${f}.jsonPointers`, d.jsonPointers);
      jsonPointers.forEach((p, j) => { if (typeof p !== 'string' || !p.startsWith('/')) fail(this, `${f}.jsonPointers[${j}]`, p, 'a JSON pointer such as "/spec/replicas"'); });
      const jq = v.optionalList(this, `${f}.jqPathExpressions`, d.jqPathExpressions);
      jq.forEach((p, j) => { if (typeof p !== 'string' || !p.startsWith('.')) fail(this, `${f}.jqPathExpressions[${j}]`, p, 'a jq path such as ".spec.http[].route[].weight"'); });
      if (jsonPointers.length + jq.length === 0) fail(this, f, d, 'at least one field: jsonPointers or jqPathExpressions');
      return {
        group: d.group, kind: v.text(this, `${f}.kind`, d.kind, 'a kind such as "VirtualService"'),
        name: v.optionalText(this, `${f}.name`, d.name), namespace: v.optionalText(this, `${f}.namespace`, d.namespace),
        jsonPointers: jsonPointers.length > 0 ? jsonPointers : undefined, jqPathExpressions: jq.length > 0 ? jq : undefined,
      };
    });
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name,
        namespace: v.dnsLabel(this, 'argoNamespace', props.argoNamespace ?? 'argocd'),
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: applicationSpec({
        project: projectOf(this, props.project, [{ renders: props.renders, server, namespace, field: 'renders', path }]),
        repoUrl: url,
        targetRevision: v.optionalText(this, 'targetRevision', props.targetRevision) ?? 'main',
        path,
        server,
        namespace,
        automated: v.optionalBoolean(this, 'automated', props.automated) ?? true,
        ignoreDifferences,
      }),
    });
  }
}
