import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';

/**
 * A further named track of a service (bookinfo's `reviews` runs v1, v2 and v3 at once): its own
 * Deployment `<service>-<name>` behind the one Service, with its own `version` label and, when
 * routing by other labels (region, zone), its own extra pod labels.
 */
export interface NamedTrackOptions {
  /** The track's name; its Deployment is `<service>-<name>`. */
  readonly name: string;
  /** The image the track runs. */
  readonly image: string;
  /** Its `version` label (part of its Deployment's selector, so unique among the service's tracks). @default the track name */
  readonly version?: string;
  /**
   * Further pod labels that subsets may select, e.g. `{ region: 'eu-west' }`. Not part of the
   * Deployment's selector, never `app`, `version` or `app.kubernetes.io/*`. @default none
   */
  readonly labels?: Record<string, string>;
  /** Replicas of the track's Deployment (it is not autoscaled). @default 1 */
  readonly replicas?: number;
}

/**
 * Validates extra pod labels of a track: valid label keys and values, and none of the labels the
 * library sets itself (selector and recommended labels), which would silently be overwritten.
 */
export function trackLabels(scope: IConstruct, field: string, labels: Record<string, string> | undefined): Record<string, string> {
  if (!v.isSet(labels)) return {};
  const checked = v.labels(scope, field, labels);
  for (const key of Object.keys(checked)) {
    if (key === 'app' || key === 'version' || key.startsWith('app.kubernetes.io/')) {
      fail(scope, `${field}.${key}`, key, 'a label the library does not set itself (not app, version or app.kubernetes.io/*), e.g. region or zone');
    }
  }
  return checked;
}
