import { Construct } from 'constructs';
import * as v from '../core/validators';
import { MonitorProps, renderMonitor } from './service-monitor';

/** Props of {@link PodMonitor}. */
export interface PodMonitorProps extends MonitorProps {
  /** Labels of the pods to scrape (`spec.selector.matchLabels`). */
  readonly selector: Record<string, string>;
  /**
   * Name of the container port that serves the metrics, e.g. `http`, or Istio's injected sidecar
   * port `http-envoy-prom` (path "/stats/prometheus") for the proxy's `istio_*` metrics.
   */
  readonly port: string;
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
