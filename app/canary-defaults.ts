import { EnvironmentConfig, ServiceName } from '../config';
import { CanaryAnalysisThresholds } from '../lib/canary/canary-analysis';
import { ServiceSlo } from '../lib/observability/service-slo';

/**
 * Default bounds of `npm run canary -- <service> next --prometheus` in `env`: derived from the
 * service's SLO (`observability.slos`), so the gate and the burn-rate alerts agree; fields set in
 * `traffic.<service>.canaryAnalysis` take precedence; what neither sets falls back to the gate's
 * own defaults (1 %, 500 ms, 5m).
 */
export function canaryAnalysisDefaults(env: EnvironmentConfig, service: ServiceName): CanaryAnalysisThresholds {
  const options = env.observability?.slos?.[service];
  const gate = options ? ServiceSlo.define(`config/${env.name}.ts`, `observability.slos.${service}`, options, service, env.namespace).canaryGate() : undefined;
  const fromSlo: CanaryAnalysisThresholds = gate ? { maxErrorRate: gate.maxErrorRate, maxP99Ms: gate.maxP99Ms, window: gate.window } : {};
  const defined = (t: CanaryAnalysisThresholds) => Object.fromEntries(Object.entries(t).filter(([, value]) => value !== undefined && value !== null));
  return { ...defined(fromSlo), ...defined(env.traffic?.[service]?.canaryAnalysis ?? {}) };
}
