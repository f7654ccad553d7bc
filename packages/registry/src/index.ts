/**
 * @herald/registry: the schema registry service. Apps register their schema versions, signed;
 * subscribers that do not know a `dataschema` fetch it once, verify it and keep it.
 */
export { type AccessList, type AccessListJson, loadAccessList, parseAccessList } from "./access-list.js";
export { admitRegistration, type RegistrationVerdict } from "./admit-registration.js";
export {
  defaultRegistryPort,
  type RegistryConfig,
  type RegistrySettings,
  registryConfigSection,
} from "./registry-config.js";
export {
  type RegistryOptions,
  type RegistryStats,
  type RunningRegistry,
  startRegistry,
} from "./registry-service.js";
export { openRegistryStore, type RegistryStore, type StoredVersion } from "./registry-store.js";
