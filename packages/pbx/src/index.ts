// The switch: registrar and location service first; call control, routing-scheme engine,
// features and events come with the PBX issue.
export * from './registrar/location-service.ts';
export * from './registrar/registrar.ts';
