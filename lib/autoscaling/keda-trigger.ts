import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { refusePlaintextSecret } from '../secrets/plaintext-guard';

/** A key of a Kubernetes Secret (created outside, or by an ExternalSecret or SealedSecret). */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
}

/** Options shared by the Redis list triggers. */
export interface RedisListOptions {
  /** The list whose length drives scaling. */
  readonly listName: string;
  /** Target items per replica. */
  readonly listLength: number;
  /** Length above which the workload is activated from zero. @default 0 */
  readonly activationListLength?: number;
  /** Redis database. @default 0 */
  readonly databaseIndex?: number;
  /** Connect over TLS. @default false */
  readonly enableTls?: boolean;
  /** Password, from a Secret. @default none */
  readonly password?: SecretKeyRef;
  /** ACL user name, from a Secret. @default none */
  readonly username?: SecretKeyRef;
}

/** Kafka SASL credentials. */
export interface KafkaSasl {
  readonly mechanism: 'plaintext' | 'scram_sha256' | 'scram_sha512';
  readonly username: SecretKeyRef;
  readonly password: SecretKeyRef;
}

/** A KEDA trigger: its type, metadata and the credentials a TriggerAuthentication must supply. */
export class KedaTrigger {
  /** Length of a Redis list (a single Redis: `address` or `host` + `port`). */
  public static redisList(options: RedisListOptions & { readonly address?: string; readonly host?: string; readonly port?: number }): KedaTrigger {
    v.object('KedaTrigger.redisList', 'options', options, 'an object { listName, listLength, address or host (+ port), … }');
    return new KedaTrigger('redis', (scope, field) => {
      if (v.isSet(options.address) === v.isSet(options.host)) fail(scope, field, 'address/host', 'either address ("host:port") or host and port');
      if (v.isSet(options.address) && (typeof options.address !== 'string' || !/^[^\s:]+:\d+$/.test(options.address))) fail(scope, `${field}.address`, options.address, 'host:port');
      if (v.isSet(options.host)) {
        v.text(scope, `${field}.host`, options.host, 'a host name');
        v.port(scope, `${field}.port`, options.port ?? 6379);
      }
      return {
        ...(options.address ? { address: options.address } : { host: options.host!, port: String(options.port ?? 6379) }),
        ...redisListMetadata(scope, field, options),
      };
    }, redisAuth(options));
  }

  /** Length of a list in a Redis Cluster. */
  public static redisClusterList(options: RedisListOptions & { readonly addresses: string[] }): KedaTrigger {
    v.object('KedaTrigger.redisClusterList', 'options', options, 'an object { addresses, listName, listLength, … }');
    return new KedaTrigger('redis-cluster', (scope, field) => ({
      addresses: addresses(scope, `${field}.addresses`, options.addresses),
      ...redisListMetadata(scope, field, options),
    }), redisAuth(options));
  }

  /** Length of a list behind Redis Sentinel. */
  public static redisSentinelList(options: RedisListOptions & { readonly addresses: string[]; readonly sentinelMaster: string; readonly sentinelPassword?: SecretKeyRef }): KedaTrigger {
    v.object('KedaTrigger.redisSentinelList', 'options', options, 'an object { addresses, sentinelMaster, listName, listLength, … }');
    return new KedaTrigger('redis-sentinel', (scope, field) => ({
      addresses: addresses(scope, `${field}.addresses`, options.addresses),
      sentinelMaster: v.text(scope, `${field}.sentinelMaster`, options.sentinelMaster, 'the name of the Sentinel master'),
      ...redisListMetadata(scope, field, options),
    }), { ...redisAuth(options), ...(options.sentinelPassword ? { sentinelPassword: options.sentinelPassword } : {}) });
  }

  /** Consumer-group lag of a Kafka topic. */
  public static kafka(options: {
    readonly bootstrapServers: string[];
    readonly consumerGroup: string;
    readonly topic: string;
    /** Target lag per replica. */
    readonly lagThreshold: number;
    readonly activationLagThreshold?: number;
    readonly sasl?: KafkaSasl;
    /** TLS to the brokers; the certificates come from Secrets. */
    readonly tls?: { readonly ca?: SecretKeyRef; readonly cert?: SecretKeyRef; readonly key?: SecretKeyRef };
  }): KedaTrigger {
    const factory = 'KedaTrigger.kafka';
    v.object(factory, 'options', options, 'an object { bootstrapServers, consumerGroup, topic, lagThreshold, … }');
    const sasl = v.optionalObject(factory, 'options.sasl', options.sasl, 'a KafkaSasl object { mechanism, username, password }');
    const tls = v.optionalObject(factory, 'options.tls', options.tls, 'an object { ca?, cert?, key? } of SecretKeyRefs');
    const auth: Record<string, SecretKeyRef> = {};
    if (sasl) {
      auth.username = sasl.username;
      auth.password = sasl.password;
    }
    for (const k of ['ca', 'cert', 'key'] as const) if (v.isSet(tls?.[k])) auth[k] = tls[k]!;
    return new KedaTrigger('kafka', (scope, field) => ({
      bootstrapServers: addresses(scope, `${field}.bootstrapServers`, options.bootstrapServers),
      consumerGroup: v.text(scope, `${field}.consumerGroup`, options.consumerGroup, 'the consumer group'),
      topic: v.text(scope, `${field}.topic`, options.topic, 'the topic'),
      lagThreshold: String(v.integer(scope, `${field}.lagThreshold`, options.lagThreshold, 1, 1e9)),
      ...(v.isSet(options.activationLagThreshold) ? { activationLagThreshold: String(v.integer(scope, `${field}.activationLagThreshold`, options.activationLagThreshold, 0, 1e9)) } : {}),
      ...(sasl ? { sasl: v.oneOf(scope, `${field}.sasl.mechanism`, sasl.mechanism, ['plaintext', 'scram_sha256', 'scram_sha512'] as const) } : {}),
      ...(tls ? { tls: 'enable' } : {}),
    }), auth);
  }

  /** The value of a PromQL query. */
  public static prometheus(options: { readonly serverAddress: string; readonly query: string; readonly threshold: number; readonly activationThreshold?: number }): KedaTrigger {
    v.object('KedaTrigger.prometheus', 'options', options, 'an object { serverAddress, query, threshold, activationThreshold? }');
    return new KedaTrigger('prometheus', (scope, field) => {
      if (typeof options.serverAddress !== 'string' || !/^https?:\/\/\S+$/.test(options.serverAddress)) fail(scope, `${field}.serverAddress`, options.serverAddress, 'an http(s):// URL of the Prometheus server');
      if (typeof options.query !== 'string' || !options.query.trim()) fail(scope, `${field}.query`, options.query, 'a PromQL query');
      if (typeof options.threshold !== 'number' || !(options.threshold > 0) || !Number.isFinite(options.threshold)) fail(scope, `${field}.threshold`, options.threshold, 'a number greater than 0');
      return {
        serverAddress: options.serverAddress,
        query: options.query,
        threshold: String(options.threshold),
        ...(v.isSet(options.activationThreshold) ? { activationThreshold: String(v.number(scope, `${field}.activationThreshold`, options.activationThreshold, 0, Number.MAX_VALUE)) } : {}),
      };
    }, {});
  }

  private constructor(
    /** KEDA scaler type, e.g. `redis`, `kafka`. */
    public readonly type: string,
    private readonly metadataOf: (scope: IConstruct, field: string) => Record<string, string>,
    /** Trigger parameter → Secret key, supplied through a TriggerAuthentication. */
    public readonly credentials: Readonly<Record<string, SecretKeyRef>>,
  ) {}

  /** Validated trigger metadata (never a credential: those go to the TriggerAuthentication). */
  public metadata(scope: IConstruct, field: string): Record<string, string> {
    const metadata = this.metadataOf(scope, field);
    for (const [key, value] of Object.entries(metadata)) refusePlaintextSecret(scope, `${field}.${key}`, key, value);
    for (const [param, ref] of Object.entries(this.credentials)) {
      v.object(scope, `${field}.${param}`, ref, 'a SecretKeyRef { secretName, key }');
      v.dnsSubdomain(scope, `${field}.${param}.secretName`, ref.secretName);
      if (typeof ref.key !== 'string' || !ref.key) fail(scope, `${field}.${param}.key`, ref.key, 'a key of the Secret');
    }
    return metadata;
  }
}

function redisListMetadata(scope: IConstruct, field: string, o: RedisListOptions): Record<string, string> {
  if (typeof o.listName !== 'string' || !o.listName) fail(scope, `${field}.listName`, o.listName, 'the name of the list');
  return {
    listName: o.listName,
    listLength: String(v.integer(scope, `${field}.listLength`, o.listLength, 1, 1e9)),
    ...(v.isSet(o.activationListLength) ? { activationListLength: String(v.integer(scope, `${field}.activationListLength`, o.activationListLength, 0, 1e9)) } : {}),
    ...(v.isSet(o.databaseIndex) ? { databaseIndex: String(v.integer(scope, `${field}.databaseIndex`, o.databaseIndex, 0, 1000)) } : {}),
    ...(o.enableTls ? { enableTLS: 'true' } : {}),
  };
}

function redisAuth(o: RedisListOptions): Record<string, SecretKeyRef> {
  return { ...(o.password ? { password: o.password } : {}), ...(o.username ? { username: o.username } : {}) };
}

function addresses(scope: IConstruct, field: string, list: string[]): string {
  v.nonEmpty(scope, field, list).forEach((a, i) => {
    if (typeof a !== 'string' || !/^[^\s:,]+:\d+$/.test(a)) fail(scope, `${field}[${i}]`, a, 'host:port');
  });
  return list.join(',');
}
