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
}

/** `spec` of an Application syncing one directory of `dist/`. */
export function applicationSpec(input: ApplicationSpecInput): Record<string, unknown> {
  return {
    project: input.project,
    source: { repoURL: input.repoUrl, targetRevision: input.targetRevision, path: input.path, directory: { recurse: false } },
    destination: { server: input.server, namespace: input.namespace },
    syncPolicy: {
      ...(input.automated ? { automated: { prune: true, selfHeal: true } } : {}),
      syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
    },
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
      }),
    });
  }
}
