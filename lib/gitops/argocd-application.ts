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
      spec: {
        project: v.optionalText(this, 'project', props.project) ?? 'default',
        source: { repoURL: props.repoUrl, targetRevision: v.optionalText(this, 'targetRevision', props.targetRevision) ?? 'main', path: props.path, directory: { recurse: false } },
        destination: { server: v.optionalText(this, 'destinationServer', props.destinationServer) ?? 'https://kubernetes.default.svc', namespace: v.dnsLabel(this, 'destinationNamespace', props.destinationNamespace) },
        syncPolicy: {
          ...(v.optionalBoolean(this, 'automated', props.automated) ?? true ? { automated: { prune: true, selfHeal: true } } : {}),
          syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true', ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : [])],
        },
        ignoreDifferences: ignoreDifferences.length > 0 ? ignoreDifferences : undefined,
      },
    });
  }
}
