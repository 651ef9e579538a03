import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';

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
  /** Argo CD project. @default "default" */
  readonly project?: string;
  /** Namespace Argo CD runs in. @default "argocd" */
  readonly argoNamespace?: string;
  /** Sync automatically, pruning removed objects and reverting drift. @default true */
  readonly automated?: boolean;
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
    if (typeof props.repoUrl !== 'string' || !/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(props.repoUrl)) {
      fail(this, 'repoUrl', props.repoUrl, 'an https://, ssh:// or git@ repository URL');
    }
    v.text(this, 'path', props.path, 'a relative path inside the repository');
    if (props.path.startsWith('/') || props.path.includes('..')) fail(this, 'path', props.path, 'a relative path inside the repository');
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name,
        namespace: v.dnsLabel(this, 'argoNamespace', props.argoNamespace ?? 'argocd'),
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: v.optionalText(this, 'project', props.project) ?? 'default',
        source: { repoURL: props.repoUrl, targetRevision: v.optionalText(this, 'targetRevision', props.targetRevision) ?? 'main', path: props.path, directory: { recurse: false } },
        destination: { server: v.optionalText(this, 'destinationServer', props.destinationServer) ?? 'https://kubernetes.default.svc', namespace: v.dnsLabel(this, 'destinationNamespace', props.destinationNamespace) },
        syncPolicy: {
          ...(v.optionalBoolean(this, 'automated', props.automated) ?? true ? { automated: { prune: true, selfHeal: true } } : {}),
          syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
        },
      },
    });
  }
}
