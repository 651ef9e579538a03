import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { applicationSpec, projectOf, repoPath, repoUrl } from './argocd-application';
import { ArgoCdProject } from './argocd-project';

/** One cluster of a fleet. */
export interface FleetCluster {
  /** Cluster name (DNS label), part of its Application's name, e.g. "prod-eu". */
  readonly name: string;
  /** API server of the cluster as registered in Argo CD, e.g. "https://prod-eu.k8s.example.com". */
  readonly server: string;
  /** Directory of the cluster's manifests in the repository, e.g. "dist/prod/prod-eu". */
  readonly path: string;
  /** Region, a label of its Application. @default none */
  readonly region?: string;
  /** The app whose output `path` holds, checked against the project. @default not checked */
  readonly renders?: IConstruct;
}

/** Props of {@link ArgoCdApplicationSet}. */
export interface ArgoCdApplicationSetProps {
  /** ApplicationSet name; each Application is named `<name>-<cluster>`. */
  readonly name: string;
  /** Git repository Argo CD watches. */
  readonly repoUrl: string;
  /** Branch, tag or commit. @default "main" */
  readonly targetRevision?: string;
  /** Namespace the objects go to (when a manifest names none). */
  readonly destinationNamespace: string;
  /** The clusters, one Application each (list generator). */
  readonly clusters: FleetCluster[];
  /** Argo CD project (see {@link ArgoCdApplicationProps.project}). @default "default" */
  readonly project?: string | ArgoCdProject;
  /** Namespace Argo CD runs in. @default "argocd" */
  readonly argoNamespace?: string;
  /** Sync automatically, pruning removed objects and reverting drift. @default true */
  readonly automated?: boolean;
}

const HTTPS_SERVER = /^https:\/\/[^\s/]+(\/\S*)?$/;

/**
 * An Argo CD `ApplicationSet` with a list generator: one Application per cluster of a fleet, each
 * syncing its cluster's directory to its API server, all from one template. Go templates with
 * `missingkey=error`: a typo in the template fails in Argo CD instead of rendering an empty string.
 */
export class ArgoCdApplicationSet extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdApplicationSetProps) {
    super(scope, id);
    v.props(this, props, 'ArgoCdApplicationSetProps');
    const name = v.dnsSubdomain(this, 'name', props.name);
    const url = repoUrl(this, 'repoUrl', props.repoUrl);
    const namespace = v.dnsLabel(this, 'destinationNamespace', props.destinationNamespace);
    const clusters = v.nonEmpty(this, 'clusters', props.clusters).map((c, i) => {
      const cluster = v.object(this, `clusters[${i}]`, c, 'a FleetCluster { name, server, path, region? }');
      const clusterName = v.dnsLabel(this, `clusters[${i}].name`, cluster.name);
      if (name.length + 1 + clusterName.length > 253) fail(this, `clusters[${i}].name`, clusterName, `a name that keeps "${name}-<cluster>" within 253 characters`);
      if (typeof cluster.server !== 'string' || !HTTPS_SERVER.test(cluster.server)) fail(this, `clusters[${i}].server`, cluster.server, 'the https:// URL of the cluster API server');
      return {
        cluster: clusterName,
        server: cluster.server,
        path: repoPath(this, `clusters[${i}].path`, cluster.path),
        region: v.isSet(cluster.region) ? v.labelValue(this, `clusters[${i}].region`, cluster.region) : '',
        renders: cluster.renders,
      };
    });
    v.unique(this, 'clusters[].name', clusters.map((c) => c.cluster));
    v.unique(this, 'clusters[].server', clusters.map((c) => c.server));
    const project = projectOf(this, props.project, clusters.map((c, i) => ({ renders: c.renders, server: c.server, namespace, field: `clusters[${i}]`, path: c.path })));

    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: {
        name,
        namespace: v.dnsLabel(this, 'argoNamespace', props.argoNamespace ?? 'argocd'),
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
      },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: clusters.map(({ cluster, server, path, region }) => ({ cluster, server, path, region })) } }],
        template: {
          metadata: {
            name: `${name}-{{.cluster}}`,
            labels: { 'app.kubernetes.io/managed-by': MANAGED_BY, 'cdk8s-microservices.io/cluster': '{{.cluster}}', 'cdk8s-microservices.io/region': '{{.region}}' },
            finalizers: ['resources-finalizer.argocd.argoproj.io'],
          },
          spec: applicationSpec({
            project,
            repoUrl: url,
            targetRevision: v.optionalText(this, 'targetRevision', props.targetRevision) ?? 'main',
            path: '{{.path}}',
            server: '{{.server}}',
            namespace,
            automated: v.optionalBoolean(this, 'automated', props.automated) ?? true,
          }),
        },
        // Deleting the ApplicationSet must not delete the workloads of every cluster at once.
        syncPolicy: { preserveResourcesOnDeletion: true },
      },
    });
  }
}
