import { Finding, ManifestObject, objectRef, PortableCheck, ThreadFactory } from '../finding';
import { checkAuthorizationPolicy } from './authorization-policy';
import { checkPeerAuthentication, checkRequestAuthentication } from './authentication';
import { isSet, Reporter } from './common';
import { checkDestinationRule } from './destination-rule';
import { checkGateway } from './gateway';
import { checkServiceEntry } from './service-entry';
import { checkSidecar } from './sidecar';
import { checkTelemetry } from './telemetry';
import { checkVirtualService } from './virtual-service';

type KindRule = (r: Reporter, manifest: any) => void;

const NETWORKING = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
const SECURITY = ['security.istio.io/v1', 'security.istio.io/v1beta1'];
const TELEMETRY = ['telemetry.istio.io/v1', 'telemetry.istio.io/v1alpha1'];

const RULES = new Map<string, KindRule>();
const register = (apiVersions: readonly string[], kind: string, rule: KindRule) => {
  for (const v of apiVersions) RULES.set(`${v}/${kind}`, rule);
};
register(NETWORKING, 'VirtualService', (r, m) => checkVirtualService(r, m.spec, m.metadata?.namespace));
register(NETWORKING, 'DestinationRule', (r, m) => checkDestinationRule(r, m.spec, m.metadata?.namespace));
register(NETWORKING, 'Gateway', (r, m) => checkGateway(r, m.spec, m.metadata?.name));
register(NETWORKING, 'ServiceEntry', (r, m) => checkServiceEntry(r, m.spec, m.metadata?.namespace));
register(NETWORKING, 'Sidecar', (r, m) => checkSidecar(r, m.spec, m.metadata?.namespace));
register(SECURITY, 'PeerAuthentication', (r, m) => checkPeerAuthentication(r, m.spec));
register(SECURITY, 'RequestAuthentication', (r, m) => checkRequestAuthentication(r, m.spec));
register(SECURITY, 'AuthorizationPolicy', (r, m) => checkAuthorizationPolicy(r, m.spec, m.metadata?.annotations));
register(TELEMETRY, 'Telemetry', (r, m) => checkTelemetry(r, m.spec));

/** The Istio kinds the check knows, as `apiVersion/kind`. */
export const ISTIO_CHECKED_KINDS: readonly string[] = [...RULES.keys()];

/**
 * The semantic rules of istiod's validating webhook (`pkg/config/validation`) that the CRD schemas and
 * their CEL rules do not express: negative or unbalanced route weights, abort codes outside 200–599,
 * empty or malformed header names, regexes that are not RE2 (look-around, backreferences), TLS modes
 * without their certificates, hosts and gateway references of the wrong form, AuthorizationPolicy
 * conditions on unknown attributes, and more. Such objects pass `kubectl apply --dry-run=client` and
 * then fail at Argo CD sync, when istiod refuses them. Other kinds are skipped.
 */
export class IstioCheck implements PortableCheck {
  public readonly name = 'istio';
  public readonly perObject = true;
  public readonly threadFactory: ThreadFactory = { module: __filename, exportName: 'IstioCheck', args: [] };

  public check(objects: readonly ManifestObject[]): Finding[] {
    const findings: Finding[] = [];
    for (const { file, manifest } of objects) {
      const rule = RULES.get(`${manifest?.apiVersion}/${manifest?.kind}`);
      if (!rule) continue;
      const object = objectRef(manifest);
      const push = (severity: 'error' | 'warning') => (path: string, message: string) => {
        findings.push({ file, object, path, message, severity, check: this.name });
      };
      const reporter: Reporter = { error: push('error'), warn: push('warning') };
      const annotations = manifest.metadata?.annotations;
      if (isSet(annotations?.['istio.io/always-reject'])) reporter.error('metadata.annotations["istio.io/always-reject"]', 'the istio.io/always-reject annotation makes istiod refuse the object');
      if (isSet(annotations?.['istio.io/dry-run']) && manifest.kind !== 'AuthorizationPolicy') {
        reporter.error('metadata.annotations["istio.io/dry-run"]', 'the istio.io/dry-run annotation is only supported on AuthorizationPolicy');
      }
      if (manifest.spec === null || typeof manifest.spec !== 'object' || Array.isArray(manifest.spec)) {
        reporter.error('spec', 'spec is required');
        continue;
      }
      rule(reporter, manifest);
    }
    return findings;
  }
}
