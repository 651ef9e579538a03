import { IConstruct } from 'constructs';

const WARNING = 'cdk8s-microservices:warning';

/** Records a warning on `scope`: printed by the synthesis, it does not fail it. */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING, message);
}

/** Every warning recorded in the tree of `root`, as `[path] message`. */
export function collectWarnings(root: IConstruct): string[] {
  return root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING).map((m) => `[${c.node.path}] ${m.data}`));
}
