import { Construct } from 'constructs';
import { EnvVar } from '../../imports/k8s';
import { fail } from '../core/errors';
import * as v from '../core/validators';
import { EgressRule } from '../networking/service-network-policy';
import { jobNetworkPolicy } from './job-network-policy';
import { ContainerOptions, EnvValueSource, VolumeMountOptions } from './pod-template';
import { ServiceCronJob, ServiceCronJobProps } from './service-cron-job';
import { VolumeOptions } from './volumes';

/** What a service's jobs run with: the service's image, identity, configuration, secrets, egress and mesh settings. */
export interface ServiceJobContext {
  readonly serviceName: string;
  readonly image: string;
  readonly allowUnpinnedImage?: boolean;
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  readonly serviceAccountName: string;
  readonly labels: Record<string, string>;
  readonly imagePullSecrets?: string[];
  /** The config ConfigMap's name and how the service reads it. @default no config */
  readonly config?: { readonly name: string; readonly mountAs: 'env' | 'file'; readonly mountPath?: string };
  /** The service's secret variables. @default none */
  readonly secretEnv?: readonly EnvVar[];
  readonly egress?: readonly EgressRule[];
  readonly mesh?: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  readonly runAsUser?: number;
}

/** Anything that offers a {@link ServiceJobContext} (a MicroserviceChart). */
export interface IServiceWithJobs {
  readonly jobContext: ServiceJobContext;
}

/** Options of a service's scheduled task: a CronJob without the parts the service provides. */
export interface ServiceScheduledTaskProps extends Omit<ServiceCronJobProps, 'name' | 'container' | 'serviceAccountName' | 'labels' | 'imagePullSecrets'> {
  /** The task's name; the CronJob is `<service>-<name>`. */
  readonly name: string;
  /** The service this task belongs to. */
  readonly service: IServiceWithJobs;
  /** The task's container: the command, and what it adds to the service's configuration. Image: the service's unless given. */
  readonly container: Omit<ContainerOptions, 'name' | 'image'> & { readonly image?: string };
}

/**
 * A scheduled task of a service (a CronJob `<service>-<name>`) that runs with the service's image,
 * ServiceAccount, configuration and secrets, hardened like its pods, with a NetworkPolicy that lets
 * it reach the service's destinations (its databases) and nothing else.
 */
export class ServiceScheduledTask extends Construct {
  public readonly cronJob: ServiceCronJob;

  constructor(scope: Construct, id: string, props: ServiceScheduledTaskProps) {
    super(scope, id);
    v.props(this, props, 'ServiceScheduledTaskProps');
    const service = v.object(this, 'service', props.service, 'a service of the app (a MicroserviceChart)');
    const ctx = v.object(this, 'service', service.jobContext, 'a service of the app (a MicroserviceChart)');
    const name = `${ctx.serviceName}-${v.dnsLabel(this, 'name', props.name)}`;
    const container = v.object(this, 'container', props.container, 'an object of ContainerOptions ({ command, … })');
    const labels = { ...ctx.labels, 'app': name, 'app.kubernetes.io/component': 'scheduled-task' };
    const secretEnv: Record<string, EnvValueSource> = Object.fromEntries((ctx.secretEnv ?? []).flatMap((e) => {
      const ref = e.valueFrom?.secretKeyRef;
      return ref ? [[e.name, { secretKey: { name: ref.name!, key: ref.key } }]] : [];
    }));
    for (const variable of Object.keys(container.envValueFrom ?? {})) {
      if (variable in secretEnv) fail(this, `container.envValueFrom.${variable}`, variable, 'a variable the service does not already set from its secrets');
    }
    const config = ctx.config;
    const configVolume: VolumeOptions[] = config?.mountAs === 'file' ? [{ name: 'config', configMap: { name: config.name } }] : [];
    const configMount: VolumeMountOptions[] = config?.mountAs === 'file' ? [{ volume: 'config', path: config.mountPath ?? `/etc/${ctx.serviceName}`, readOnly: true }] : [];
    this.cronJob = new ServiceCronJob(this, 'CronJob', {
      ...props,
      name,
      labels,
      serviceAccountName: ctx.serviceAccountName,
      imagePullSecrets: ctx.imagePullSecrets,
      runAsUser: props.runAsUser ?? ctx.runAsUser,
      podLabels: { ...ctx.mesh?.labels, ...props.podLabels },
      podAnnotations: { ...ctx.mesh?.annotations, ...props.podAnnotations },
      container: {
        ...container,
        image: container.image ?? ctx.image,
        allowUnpinnedImage: container.allowUnpinnedImage ?? ctx.allowUnpinnedImage,
        imagePullPolicy: container.imagePullPolicy ?? ctx.imagePullPolicy,
        envFrom: [...(config?.mountAs === 'env' ? [{ configMap: config.name }] : []), ...(container.envFrom ?? [])],
        envValueFrom: { ...secretEnv, ...container.envValueFrom },
        volumeMounts: [...configMount, ...(container.volumeMounts ?? [])],
      },
      pod: { ...props.pod, volumes: [...configVolume, ...(props.pod?.volumes ?? [])] },
    });
    jobNetworkPolicy(this, 'NetworkPolicy', name, labels, ctx.egress);
  }
}
