export * from './errors.ts';
export * from './common.ts';
export * from './roles.ts';
export * from './tenant.ts';
export * from './user.ts';
export * from './api-key.ts';
export * from './extension.ts';
export * from './audit.ts';
