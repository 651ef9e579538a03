import { Construct } from 'constructs';
import * as v from '../core/validators';
import { renderMonitor, ScrapeEndpointOptions } from './service-monitor';

/** Props of {@link PodMonitor}. */
export interface PodMonitorProps extends ScrapeEndpointOptions {
  /** Name of the PodMonitor. */
  readonly name: string;
  /** Namespace of the PodMonitor. @default the chart's */
  readonly namespace?: string;
  /** Labels of the pods to scrape (`spec.selector.matchLabels`). */
  readonly selector: Record<string, string>;
  /**
   * Name of the container port that serves the metrics, e.g. `http`, or Istio's injected sidecar
   * port `http-envoy-prom` (path "/stats/prometheus") for the proxy's `istio_*` metrics.
   */
  readonly port: string;
  /** Namespaces of the pods. @default only the PodMonitor's own namespace */
  readonly targetNamespaces?: string[];
  /** Pod labels copied onto every series. @default ["version"] */
  readonly podTargetLabels?: string[];
  /** Labels the Prometheus' `podMonitorSelector` matches. @default { release: "kube-prometheus-stack" } */
  readonly discoveryLabels?: Record<string, string>;
  /** Further labels of the object. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A Prometheus Operator `PodMonitor` (monitoring.coreos.com/v1): scrapes pods directly by their
 * labels and a named container port, without a Service (for pods behind no Service, or ports the
 * Service does not expose, such as the Istio sidecar's metrics).
 */
export class PodMonitor extends Construct {
  /** The object's name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id);
    v.props(this, props, 'PodMonitorProps');
    this.name = renderMonitor(this, 'PodMonitor', props);
  }
}
