import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import * as v from '../core/validators';

/** apiVersion/kind of cert-manager's Certificate. */
export const CERTIFICATE_KIND = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' } as const;

/** The cert-manager issuer that signs a certificate. */
export interface IssuerReference {
  /** Name of the Issuer or ClusterIssuer, e.g. "letsencrypt-prod". */
  readonly name: string;
  /**
   * `ClusterIssuer` (cluster-wide) or `Issuer` (must live in the certificate's namespace).
   * @default "ClusterIssuer"
   */
  readonly kind?: 'ClusterIssuer' | 'Issuer';
}

/** Key of the certificate. */
export interface CertificatePrivateKeyOptions {
  /** @default "ECDSA" */
  readonly algorithm?: 'RSA' | 'ECDSA' | 'Ed25519';
  /** Key size: 2048, 3072 or 4096 for RSA; 256, 384 or 521 for ECDSA; none for Ed25519. @default 256 for ECDSA, 2048 for RSA */
  readonly size?: number;
}

/** Props of {@link TlsCertificate}. */
export interface TlsCertificateProps {
  /** Name of the Certificate. @default the secret name */
  readonly name?: string;
  /** Namespace of the Certificate and of the Secret it writes. @default the chart's namespace */
  readonly namespace?: string;
  /** Secret cert-manager writes the key pair to (what an Ingress's `tls.secretName` or a Gateway's `credentialName` names). */
  readonly secretName: string;
  /** Host names the certificate covers ("*." wildcards allowed); the first is also the common name. */
  readonly dnsNames: string[];
  /** Who signs it. */
  readonly issuer: IssuerReference;
  /** Lifetime asked for (a Go duration, at least 1h). @default the issuer's (90 days for Let's Encrypt) */
  readonly duration?: string;
  /** Renewal this long before expiry (a Go duration, shorter than `duration`). @default a third of the lifetime (cert-manager's default) */
  readonly renewBefore?: string;
  /** The private key; rotated at every renewal. @default ECDSA P-256 */
  readonly privateKey?: CertificatePrivateKeyOptions;
  /** Labels of the Certificate (and, through cert-manager's secretTemplate, of its Secret). @default managed-by only */
  readonly labels?: Record<string, string>;
}

const KEY_SIZES: Record<string, readonly number[]> = { RSA: [2048, 3072, 4096], ECDSA: [256, 384, 521], Ed25519: [] };

/**
 * A cert-manager `Certificate`: cert-manager obtains the certificate from the issuer, writes it to
 * `secretName` and renews it before it expires. The issuer reference is checked at synth
 * (`platform-reference` check): an Issuer in the namespace, a ClusterIssuer of the output, or one
 * declared external (`externalObjects` in cdk8s-microservices.yaml).
 */
export class TlsCertificate extends Construct {
  /** Name of the Secret holding the certificate. */
  public readonly secretName: string;
  /** Name of the Certificate. */
  public readonly certificateName: string;

  constructor(scope: Construct, id: string, props: TlsCertificateProps) {
    super(scope, id);
    v.props(this, props, 'TlsCertificateProps');
    this.secretName = v.dnsSubdomain(this, 'secretName', props.secretName);
    this.certificateName = v.isSet(props.name) ? v.dnsSubdomain(this, 'name', props.name) : this.secretName;
    const namespace = v.isSet(props.namespace) ? v.dnsLabel(this, 'namespace', props.namespace) : undefined;
    const dnsNames = v.nonEmpty(this, 'dnsNames', props.dnsNames).map((h, i) => v.hostName(this, `dnsNames[${i}]`, h));
    v.unique(this, 'dnsNames', dnsNames);
    const issuer = v.object(this, 'issuer', props.issuer, 'an IssuerReference { name, kind? }');
    const issuerName = v.dnsSubdomain(this, 'issuer.name', issuer.name);
    const issuerKind = v.oneOf(this, 'issuer.kind', issuer.kind ?? 'ClusterIssuer', ['ClusterIssuer', 'Issuer'] as const);
    const durationText = v.isSet(props.duration) ? v.duration(this, 'duration', props.duration, 3_600_000) : undefined;
    const renewBefore = v.isSet(props.renewBefore) ? v.duration(this, 'renewBefore', props.renewBefore, 60_000) : undefined;
    if (durationText && renewBefore && v.durationMs(renewBefore)! >= v.durationMs(durationText)!) {
      fail(this, 'renewBefore', renewBefore, `a duration shorter than duration (${durationText})`);
    }
    const key = v.optionalObject(this, 'privateKey', props.privateKey, 'an object of CertificatePrivateKeyOptions { algorithm?, size? }') ?? {};
    const algorithm = v.oneOf(this, 'privateKey.algorithm', key.algorithm ?? 'ECDSA', ['RSA', 'ECDSA', 'Ed25519'] as const);
    const sizes = KEY_SIZES[algorithm];
    let size: number | undefined;
    if (v.isSet(key.size)) {
      if (!sizes.includes(key.size as number)) fail(this, 'privateKey.size', key.size, sizes.length ? `for ${algorithm}: ${sizes.join(', ')}` : `no size for ${algorithm}`);
      size = key.size;
    } else if (sizes.length) {
      size = sizes[0];
    }
    const labels = { 'app.kubernetes.io/managed-by': MANAGED_BY, ...v.labels(this, 'labels', props.labels) };

    new ApiObject(this, 'Resource', {
      ...CERTIFICATE_KIND,
      metadata: { name: this.certificateName, namespace, labels },
      spec: {
        secretName: this.secretName,
        secretTemplate: { labels },
        commonName: dnsNames[0].length <= 64 ? dnsNames[0] : undefined,
        dnsNames,
        duration: durationText,
        renewBefore,
        privateKey: { algorithm, size, rotationPolicy: 'Always' },
        issuerRef: { name: issuerName, kind: issuerKind, group: 'cert-manager.io' },
      },
    });
  }
}
