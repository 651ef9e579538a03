export * from './model';
export * from './field-diff';
export * from './compare';
export * from './risks';
export * from './format';
export * from './git-source';
