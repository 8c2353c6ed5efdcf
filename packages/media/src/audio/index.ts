export * from './downmix.ts';
export * from './prompt.ts';
export * from './resample.ts';
export * from './wav-error.ts';
export * from './wav-format.ts';
export * from './wav-reader.ts';
export * from './wav-writer.ts';
