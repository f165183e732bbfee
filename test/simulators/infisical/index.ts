export { InfisicalSimulator, type InfisicalSimulatorOptions, type SecretState } from './simulator';
export type { IdentityOptions } from './auth';
export type { SecretMetadataEntry } from './store';
export { infisicalErrorBody, TOKEN_MESSAGES } from './errors';
