import { IConstruct } from 'constructs';
import { PersistentVolumeClaimSpec, Quantity, Volume } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { CONTAINER_RESOURCE_FIELDS, podFieldPath } from './downward-api';

/** One key of a Secret or ConfigMap written to a file. */
export interface KeyToPathOptions {
  /** The key. */
  readonly key: string;
  /** Relative file path in the volume. */
  readonly path: string;
  /** File mode, e.g. 0o400. @default the volume's defaultMode */
  readonly mode?: number;
}

/** A file of the downward API: a pod field or a container resource. */
export interface DownwardFileOptions {
  /** Relative file path in the volume. */
  readonly path: string;
  /** A pod field: `metadata.name`, `metadata.namespace`, `metadata.labels`, `metadata.annotations`, `metadata.uid`. @default none */
  readonly fieldPath?: string;
  /** A container's resource, e.g. `limits.memory`. @default none */
  readonly resource?: { readonly containerName: string; readonly resource: string; readonly divisor?: string };
}

/** A source of a projected volume (several Secrets, ConfigMaps and downward files under one directory). */
export interface ProjectionOptions {
  /** @default none */
  readonly secret?: { readonly name: string; readonly items?: KeyToPathOptions[]; readonly optional?: boolean };
  /** @default none */
  readonly configMap?: { readonly name: string; readonly items?: KeyToPathOptions[]; readonly optional?: boolean };
  /** @default none */
  readonly downwardAPI?: { readonly items: DownwardFileOptions[] };
  /** A short-lived ServiceAccount token for an audience (never the API server's default token). @default none */
  readonly serviceAccountToken?: { readonly path: string; readonly audience?: string; readonly expirationSeconds?: number };
}

/** A volume of a pod: give `name` and exactly one source. */
export interface VolumeOptions {
  /** Its name in the pod (DNS label); mounts refer to it. */
  readonly name: string;
  /** Scratch space, optionally in memory (counted against the container's memory) and bounded. @default not an emptyDir */
  readonly emptyDir?: { readonly sizeLimit?: string; readonly medium?: 'Memory' };
  /** A Secret's keys as files. @default not a Secret */
  readonly secret?: { readonly secretName: string; readonly items?: KeyToPathOptions[]; readonly defaultMode?: number; readonly optional?: boolean };
  /** A ConfigMap's keys as files. @default not a ConfigMap */
  readonly configMap?: { readonly name: string; readonly items?: KeyToPathOptions[]; readonly defaultMode?: number; readonly optional?: boolean };
  /** An existing PersistentVolumeClaim (see PersistentVolumeClaim). @default not a claim */
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  /** Pod fields and container resources as files. @default not the downward API */
  readonly downwardAPI?: { readonly items: DownwardFileOptions[]; readonly defaultMode?: number };
  /** Several sources under one directory. @default not projected */
  readonly projected?: { readonly sources: ProjectionOptions[]; readonly defaultMode?: number };
}

const SOURCES = ['emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'downwardAPI', 'projected'] as const;

/** A file mode: 0 to 0o777 (write it in octal: 0o440). */
function fileMode(scope: IConstruct, field: string, value: unknown): number | undefined {
  return v.isSet(value) ? v.integer(scope, field, value, 0, 0o777) : undefined;
}

function relativeFilePath(scope: IConstruct, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.startsWith('/') || value.split('/').includes('..')) {
    fail(scope, field, value, 'a relative file path without ".." (e.g. "tls/cert.pem")');
  }
  return value;
}

function items(scope: IConstruct, field: string, value: readonly KeyToPathOptions[] | undefined | null) {
  if (!v.isSet(value)) return undefined;
  const list = v.nonEmpty(scope, field, value).map((raw, i) => {
    const item = v.object(scope, `${field}[${i}]`, raw, 'an object { key, path, mode? }');
    return { key: v.text(scope, `${field}[${i}].key`, item.key), path: relativeFilePath(scope, `${field}[${i}].path`, item.path), mode: fileMode(scope, `${field}[${i}].mode`, item.mode) };
  });
  v.unique(scope, `${field} paths`, list.map((i) => i.path));
  return list;
}

function downwardItems(scope: IConstruct, field: string, value: readonly DownwardFileOptions[] | undefined | null) {
  return v.nonEmpty(scope, field, value).map((raw, i) => {
    const f = `${field}[${i}]`;
    const item = v.object(scope, f, raw, 'an object { path, fieldPath | resource }');
    if (v.isSet(item.fieldPath) === v.isSet(item.resource)) fail(scope, f, item, 'exactly one of fieldPath and resource');
    const path = relativeFilePath(scope, `${f}.path`, item.path);
    if (v.isSet(item.fieldPath)) {
      const fieldPath = ['metadata.labels', 'metadata.annotations'].includes(item.fieldPath as string) ? item.fieldPath as string : podFieldPath(scope, `${f}.fieldPath`, item.fieldPath);
      return { path, fieldRef: { fieldPath } };
    }
    const r = v.object(scope, `${f}.resource`, item.resource, 'an object { containerName, resource, divisor? }');
    return {
      path,
      resourceFieldRef: {
        containerName: v.dnsLabel(scope, `${f}.resource.containerName`, r.containerName),
        resource: v.oneOf(scope, `${f}.resource.resource`, r.resource, CONTAINER_RESOURCE_FIELDS),
        divisor: v.isSet(r.divisor) ? Quantity.fromString(v.quantity(scope, `${f}.resource.divisor`, r.divisor)) : undefined,
      },
    };
  });
}

/** A validated pod volume from {@link VolumeOptions}; `field` is its prop path (`volumes[0]`). */
export function renderVolume(scope: IConstruct, field: string, raw: VolumeOptions): Volume {
  const vol = v.object(scope, field, raw, 'an object of VolumeOptions ({ name, and one of emptyDir, secret, configMap, persistentVolumeClaim, downwardAPI, projected })');
  const name = v.dnsLabel(scope, `${field}.name`, vol.name);
  const given = SOURCES.filter((s) => v.isSet(vol[s]));
  if (given.length !== 1) fail(scope, field, vol, `exactly one source: ${SOURCES.join(', ')}`);
  const f = `${field}.${given[0]}`;
  switch (given[0]) {
    case 'emptyDir': {
      const e = v.object(scope, f, vol.emptyDir, 'an object { sizeLimit?, medium? }');
      return {
        name,
        emptyDir: {
          medium: v.isSet(e.medium) ? v.oneOf(scope, `${f}.medium`, e.medium, ['Memory'] as const) : undefined,
          sizeLimit: v.isSet(e.sizeLimit) ? Quantity.fromString(v.quantity(scope, `${f}.sizeLimit`, e.sizeLimit)) : undefined,
        },
      };
    }
    case 'secret': {
      const s = v.object(scope, f, vol.secret, 'an object { secretName, items?, defaultMode?, optional? }');
      return {
        name,
        secret: {
          secretName: v.dnsSubdomain(scope, `${f}.secretName`, s.secretName),
          items: items(scope, `${f}.items`, s.items),
          // Secrets are readable by the pod's user only unless said otherwise.
          defaultMode: fileMode(scope, `${f}.defaultMode`, s.defaultMode) ?? 0o440,
          optional: v.optionalBoolean(scope, `${f}.optional`, s.optional),
        },
      };
    }
    case 'configMap': {
      const c = v.object(scope, f, vol.configMap, 'an object { name, items?, defaultMode?, optional? }');
      return {
        name,
        configMap: {
          name: v.dnsSubdomain(scope, `${f}.name`, c.name),
          items: items(scope, `${f}.items`, c.items),
          defaultMode: fileMode(scope, `${f}.defaultMode`, c.defaultMode),
          optional: v.optionalBoolean(scope, `${f}.optional`, c.optional),
        },
      };
    }
    case 'persistentVolumeClaim': {
      const p = v.object(scope, f, vol.persistentVolumeClaim, 'an object { claimName, readOnly? }');
      return { name, persistentVolumeClaim: { claimName: v.dnsSubdomain(scope, `${f}.claimName`, p.claimName), readOnly: v.optionalBoolean(scope, `${f}.readOnly`, p.readOnly) } };
    }
    case 'downwardAPI': {
      const d = v.object(scope, f, vol.downwardAPI, 'an object { items, defaultMode? }');
      return { name, downwardApi: { items: downwardItems(scope, `${f}.items`, d.items), defaultMode: fileMode(scope, `${f}.defaultMode`, d.defaultMode) } };
    }
    default: {
      const p = v.object(scope, f, vol.projected, 'an object { sources, defaultMode? }');
      const sources = v.nonEmpty(scope, `${f}.sources`, p.sources).map((raw, i) => {
        const sf = `${f}.sources[${i}]`;
        const s = v.object(scope, sf, raw, 'an object with one of secret, configMap, downwardAPI, serviceAccountToken');
        const kinds = (['secret', 'configMap', 'downwardAPI', 'serviceAccountToken'] as const).filter((k) => v.isSet(s[k]));
        if (kinds.length !== 1) fail(scope, sf, s, 'exactly one of secret, configMap, downwardAPI, serviceAccountToken');
        const ref = (k: 'secret' | 'configMap') => {
          const r = v.object(scope, `${sf}.${k}`, s[k], 'an object { name, items?, optional? }');
          return { name: v.dnsSubdomain(scope, `${sf}.${k}.name`, r.name), items: items(scope, `${sf}.${k}.items`, r.items), optional: v.optionalBoolean(scope, `${sf}.${k}.optional`, r.optional) };
        };
        switch (kinds[0]) {
          case 'secret': return { secret: ref('secret') };
          case 'configMap': return { configMap: ref('configMap') };
          case 'downwardAPI': return { downwardApi: { items: downwardItems(scope, `${sf}.downwardAPI.items`, s.downwardAPI!.items) } };
          default: {
            const t = v.object(scope, `${sf}.serviceAccountToken`, s.serviceAccountToken, 'an object { path, audience?, expirationSeconds? }');
            return {
              serviceAccountToken: {
                path: relativeFilePath(scope, `${sf}.serviceAccountToken.path`, t.path),
                audience: v.optionalText(scope, `${sf}.serviceAccountToken.audience`, t.audience),
                expirationSeconds: v.isSet(t.expirationSeconds) ? v.integer(scope, `${sf}.serviceAccountToken.expirationSeconds`, t.expirationSeconds, 600, 2 ** 31 - 1) : undefined,
              },
            };
          }
        }
      });
      return { name, projected: { sources, defaultMode: fileMode(scope, `${f}.defaultMode`, p.defaultMode) } };
    }
  }
}

/** A persistent volume request: of a standalone PersistentVolumeClaim or a StatefulSet's claim template. */
export interface ClaimOptions {
  /** Size, a quantity such as "10Gi". */
  readonly size: string;
  /** StorageClass. @default the cluster's default class */
  readonly storageClassName?: string;
  /** @default ["ReadWriteOnce"] */
  readonly accessModes?: Array<'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod'>;
  /** `Block` for a raw device. @default "Filesystem" */
  readonly volumeMode?: 'Filesystem' | 'Block';
}

/** The spec of a claim from {@link ClaimOptions}; `field` is its prop path. */
export function claimSpec(scope: IConstruct, field: string, raw: ClaimOptions): PersistentVolumeClaimSpec {
  const c = v.object(scope, field, raw, 'an object of ClaimOptions ({ size, storageClassName?, accessModes?, volumeMode? })');
  const f = (name: string) => (field === 'props' ? name : `${field}.${name}`);
  const modes = v.isSet(c.accessModes) ? v.nonEmpty(scope, f('accessModes'), c.accessModes) : ['ReadWriteOnce'];
  modes.forEach((m, i) => v.oneOf(scope, f(`accessModes[${i}]`), m, ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const));
  v.unique(scope, f('accessModes'), modes);
  return {
    accessModes: [...modes],
    storageClassName: v.isSet(c.storageClassName) ? v.dnsSubdomain(scope, f('storageClassName'), c.storageClassName) : undefined,
    volumeMode: v.isSet(c.volumeMode) ? v.oneOf(scope, f('volumeMode'), c.volumeMode, ['Filesystem', 'Block'] as const) : undefined,
    resources: { requests: { storage: Quantity.fromString(v.quantity(scope, f('size'), c.size)) } },
  };
}
