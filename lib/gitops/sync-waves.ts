import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The annotation Argo CD orders a sync by: lower waves are applied, and healthy, before higher ones. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Waves of the kinds other objects depend on (the rest stays in wave 0). Within a wave Argo CD
 * orders built-in kinds itself, but applies custom resources after them: a SecretStore would not
 * be there before the ExternalSecrets that name it, nor their Secrets before the pods reading them.
 * Certificates stay in wave 0: Argo CD waits for a wave to be healthy, and an ACME order can take
 * minutes (or need the very routes of a later wave); Istio and ingress controllers pick the Secret up
 * whenever it appears.
 */
export const DEFAULT_SYNC_WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  CustomResourceDefinition: -3,
  SecretStore: -2,
  ClusterSecretStore: -2,
  Issuer: -2,
  ClusterIssuer: -2,
  ExternalSecret: -1,
  SealedSecret: -1,
};

/**
 * Annotates every object below `root` whose kind has a wave in `waves` (an object that already
 * carries a wave keeps it). Call it once the app is complete.
 */
export function applySyncWaves(root: IConstruct, waves: Readonly<Record<string, number>> = DEFAULT_SYNC_WAVES): void {
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const wave = waves[c.kind];
    if (wave === undefined || wave === 0 || (c.metadata as any).annotations?.[SYNC_WAVE_ANNOTATION] !== undefined) continue;
    c.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
  }
}
