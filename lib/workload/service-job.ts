import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as v from '../core/validators';
import { JobTemplateOptions, renderJobSpec } from './job-template';

/** Props of {@link ServiceJob}. */
export interface ServiceJobProps extends JobTemplateOptions {
  /** The Job's name (DNS label); also the container's unless `container.name` is given. */
  readonly name: string;
  /** Labels of the Job and of its pods. Give its pods an `app` label no Service selects. @default `app: <name>` */
  readonly labels?: Record<string, string>;
  /** Annotations of the Job (e.g. Argo CD hooks and sync waves). @default none */
  readonly annotations?: Record<string, string>;
}

/**
 * A Job: pods run to completion, hardened like every pod of the library (restricted security
 * context, resources, no ServiceAccount token); no probes needed. In an Istio mesh its pods ask
 * for a native proxy sidecar, so the pod completes when the job's container exits.
 */
export class ServiceJob extends Construct {
  /** The Job's name. */
  public readonly name: string;
  /** The rendered Job. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceJobProps) {
    super(scope, id);
    v.props(this, props, 'ServiceJobProps');
    this.name = v.dnsLabel(this, 'name', props.name);
    const labels = v.labels(this, 'labels', props.labels ?? { app: this.name });
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.name, labels, annotations: nonEmpty(v.stringMap(this, 'annotations', props.annotations)) },
      spec: renderJobSpec(this, 'Job', { name: this.name, labels }, props),
    });
  }
}

function nonEmpty(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
