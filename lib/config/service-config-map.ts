import * as yaml from 'js-yaml';
import { YAML_1_1_SAFE_SCHEMA } from '../synth/yaml-1-1';
import { Construct } from 'constructs';
import { EnvFromSource, KubeConfigMap, Volume, VolumeMount } from '../../imports/k8s';
import { fail } from '../core/errors';
import { canonicalJson, contentHash } from '../core/hash';
import * as v from '../core/validators';
import { refusePlaintextSecret } from '../secrets/plaintext-guard';
import { DEFAULT_CONFIG_RETENTION, PreviousConfigMap } from './config-map-history';

/** A config value: scalars, lists and nested maps. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

/** How the pods see their configuration. */
export type ConfigMountMode = 'env' | 'file';

/** Typed configuration of a service. */
export interface ServiceConfigOptions {
  /** The settings. Nested maps become `PARENT_CHILD` variables (env) or a nested document (file). */
  readonly data: Record<string, ConfigValue>;
  /** `env`: every leaf as an environment variable; `file`: one file in a mounted directory. @default "env" */
  readonly mountAs?: ConfigMountMode;
  /** Directory the file is mounted in (file mode). @default "/etc/<service>" */
  readonly mountPath?: string;
  /** File name; `.json` renders JSON, `.yaml`/`.yml` YAML (file mode). @default "config.yaml" */
  readonly fileName?: string;
  /**
   * How many configurations to keep in the output, the current one included. Older ones are kept so
   * that `kubectl rollout undo` (or an Argo CD rollback) finds the ConfigMap the previous ReplicaSet
   * mounts; past this number they leave the output and are pruned (Argo CD prune, or
   * `kubectl apply --prune --applyset`). @default 3
   */
  readonly retain?: number;
  /**
   * Configurations rendered before, newest first — read back from the previous output with
   * `previousConfigMaps(dir, service)`. The first `retain - 1` that differ from the current one are
   * rendered again after it. @default none (only the current configuration)
   */
  readonly previous?: PreviousConfigMap[];
}

/** Props of {@link ServiceConfigMap}. */
export interface ServiceConfigMapProps extends ServiceConfigOptions {
  /** Owning service; the ConfigMap is named `<service>-config-<hash>`. */
  readonly serviceName: string;
  /** Labels of the ConfigMap. */
  readonly labels: Record<string, string>;
}

/**
 * A service's configuration as an immutable ConfigMap whose name carries a hash of its content.
 * A config change is a new name, which changes the pod template and so rolls the pods. The last
 * `retain` configurations stay in the output (the current one first, then the previous ones, newest
 * first), so `kubectl rollout undo` still finds them and neither Argo CD nor an ApplySet prune
 * deletes them; older ones leave the output and are pruned.
 */
export class ServiceConfigMap extends Construct {
  /** The ConfigMap's name, including the content hash. */
  public readonly name: string;
  /** How the pods consume it. */
  public readonly mountAs: ConfigMountMode;
  private readonly mountPath: string;

  constructor(scope: Construct, id: string, props: ServiceConfigMapProps) {
    super(scope, id);
    v.props(this, props, 'ServiceConfigMapProps');
    v.dnsLabel(this, 'serviceName', props.serviceName);
    v.labels(this, 'labels', v.object(this, 'labels', props.labels, 'a map of label keys to label values'));
    v.object(this, 'config.data', props.data, 'a map of setting names to values (strings, numbers, booleans, null, lists, maps)');
    this.mountAs = v.oneOf(this, 'config.mountAs', props.mountAs ?? 'env', ['env', 'file'] as const);
    this.mountPath = v.absolutePath(this, 'config.mountPath', props.mountPath ?? `/etc/${props.serviceName}`);

    let data: Record<string, string>;
    if (this.mountAs === 'env') {
      data = flattenToEnv(this, props.data);
    } else {
      const fileName = props.fileName ?? 'config.yaml';
      if (typeof fileName !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(fileName)) fail(this, 'config.fileName', fileName, 'a file name of letters, digits, ".", "-" and "_"');
      walkLeaves(props.data, '', (path, value) => refusePlaintextSecret(this, `config.data.${path}`, path, value));
      data = { [fileName]: fileName.endsWith('.json')
        ? JSON.stringify(props.data, null, 2) + '\n'
        : yaml.dump(props.data, { lineWidth: -1, noRefs: true, sortKeys: true, schema: YAML_1_1_SAFE_SCHEMA }) };
    }

    this.name = `${props.serviceName}-config-${contentHash(canonicalJson(data))}`;
    new KubeConfigMap(this, 'Resource', { metadata: { name: this.name, labels: props.labels }, immutable: true, data });

    const retain = props.retain === undefined || props.retain === null ? DEFAULT_CONFIG_RETENTION : v.integer(this, 'config.retain', props.retain, 1, 100);
    if (props.previous !== undefined && props.previous !== null && !Array.isArray(props.previous)) {
      fail(this, 'config.previous', props.previous, 'a list of { name, data } of previous configurations');
    }
    const previous = (props.previous ?? []).filter((p) => p.name !== this.name).slice(0, retain - 1);
    for (const p of previous) {
      if (!p || typeof p.name !== 'string' || !p.name.startsWith(`${props.serviceName}-config-`)) {
        fail(this, 'config.previous[].name', p?.name, `a previous configuration of this service, named ${props.serviceName}-config-<hash>`);
      }
      new KubeConfigMap(this, `Previous-${p.name}`, { metadata: { name: p.name, labels: props.labels }, immutable: true, data: p.data });
    }
  }

  /** envFrom entries (env mode). */
  public envFrom(): EnvFromSource[] {
    return this.mountAs === 'env' ? [{ configMapRef: { name: this.name } }] : [];
  }

  /** The volume and its mount (file mode). */
  public volumes(): Array<{ volume: Volume; mount: VolumeMount }> {
    return this.mountAs === 'file'
      ? [{ volume: { name: 'config', configMap: { name: this.name } }, mount: { name: 'config', mountPath: this.mountPath, readOnly: true } }]
      : [];
  }
}

function walkLeaves(value: ConfigValue, path: string, visit: (path: string, leaf: ConfigValue) => void): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, child] of Object.entries(value)) walkLeaves(child, path ? `${path}.${k}` : k, visit);
  } else {
    visit(path, value);
  }
}

function flattenToEnv(scope: Construct, data: Record<string, ConfigValue>): Record<string, string> {
  const out: Record<string, string> = {};
  walkLeaves(data, '', (path, value) => {
    const name = path.replace(/[.-]/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    v.envName(scope, `config.data.${path}`, name);
    refusePlaintextSecret(scope, `config.data.${path}`, name, value);
    if (name in out) fail(scope, `config.data.${path}`, name, 'keys that map to distinct environment variable names');
    out[name] = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
  return out;
}
