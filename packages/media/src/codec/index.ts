export * from './codec.ts';
export * from './codec-error.ts';
export * from './codec-registry.ts';
export * from './g711.ts';
export * from './g711-codecs.ts';
export * from './transcode.ts';
