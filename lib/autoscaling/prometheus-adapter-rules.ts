import * as yaml from 'js-yaml';
import { YAML_1_1_SAFE_SCHEMA } from '../synth/yaml-1-1';
import { Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';
import { canonicalJson } from '../core/hash';
import { PrometheusMetric } from './prometheus-metric';

/** Props of {@link PrometheusAdapterRules}. */
export interface PrometheusAdapterRulesProps {
  /** Name of the adapter's ConfigMap (its Helm release's `<release>` name). @default "prometheus-adapter" */
  readonly configMapName?: string;
  /** Namespace of the adapter. @default "monitoring" */
  readonly namespace?: string;
}

const INSTANCE = Symbol.for('cdk8s-microservices.PrometheusAdapterRules');

/**
 * The prometheus-adapter configuration of the whole app: one discovery rule per custom metric
 * any HPA of the app uses, collected at synthesis. One per app; `PrometheusAdapterRules.of()`
 * returns it, creating the default one on first use.
 */
export class PrometheusAdapterRules extends Chart {
  /** The app's adapter config (created with defaults when the app has none yet). */
  public static of(scope: IConstruct): PrometheusAdapterRules {
    const root = scope.node.root as Construct & { [INSTANCE]?: PrometheusAdapterRules };
    return root[INSTANCE] ?? new PrometheusAdapterRules(root, 'prometheus-adapter');
  }

  private readonly metrics = new Map<string, { metric: PrometheusMetric; key: string; by: string }>();

  constructor(scope: Construct, id: string, props: PrometheusAdapterRulesProps = {}) {
    const namespace = props?.namespace ?? 'monitoring';
    super(scope, id, { namespace, disableResourceNameHashes: true });
    v.optionalObject(this, 'props', props, 'an object of PrometheusAdapterRulesProps');
    const root = this.node.root as Construct & { [INSTANCE]?: PrometheusAdapterRules };
    if (root[INSTANCE]) fail(this, 'PrometheusAdapterRules', id, `one adapter config per app (${root[INSTANCE]!.node.path} exists)`);
    Object.defineProperty(root, INSTANCE, { value: this, enumerable: false });
    v.dnsLabel(this, 'namespace', namespace);
    new KubeConfigMap(this, 'Resource', {
      metadata: {
        name: v.dnsSubdomain(this, 'configMapName', props?.configMapName ?? 'prometheus-adapter'),
        labels: { 'app.kubernetes.io/name': 'prometheus-adapter', 'app.kubernetes.io/managed-by': MANAGED_BY },
      },
      data: Lazy.any({ produce: () => ({ 'config.yaml': this.render() }) }),
    });
  }

  /** Registers a metric an HPA uses; two different definitions under one name are refused. */
  public use(metric: PrometheusMetric, by: IConstruct): void {
    const key = canonicalJson(metric.definition);
    const existing = this.metrics.get(metric.name);
    if (existing && existing.key !== key) {
      fail(by, 'metric', metric.name, `one definition per metric name (${existing.by} defines "${metric.name}" differently)`);
    }
    if (!existing) this.metrics.set(metric.name, { metric, key, by: by.node.path });
  }

  /** Names of the metrics the adapter will serve. */
  public get metricNames(): string[] {
    return [...this.metrics.keys()].sort();
  }

  private render(): string {
    const sorted = [...this.metrics.values()].sort((a, b) => (a.metric.name < b.metric.name ? -1 : 1));
    const rules = sorted.filter((m) => m.metric.definition.subject !== 'external').map((m) => m.metric.adapterRule());
    const externalRules = sorted.filter((m) => m.metric.definition.subject === 'external').map((m) => m.metric.adapterRule());
    return yaml.dump({ rules, ...(externalRules.length > 0 ? { externalRules } : {}) }, { lineWidth: -1, noRefs: true, schema: YAML_1_1_SAFE_SCHEMA });
  }
}
