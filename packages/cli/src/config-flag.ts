import { type BridgesConfig, bridgeConfigSection, bridgesConfigSection } from "@herald/bridge/config";
import { type HubConfig, hubConfigSection } from "@herald/hub/config";
import { type IrcConfig, ircConfigSection } from "@herald/irc/config";
import { type NotificationsConfig, notificationsConfigSection } from "@herald/notifications/config";
import { type RegistryConfig, registryConfigSection } from "@herald/registry/config";
import { type RelayConfig, relayConfigSection } from "@herald/relay/config";
import {
  type SchemaRegistryConfig,
  type SchemasConfig,
  schemaRegistryConfigSection,
  schemasConfigSection,
} from "@herald/schemas/config";
import { type HeraldConfig, loadConfig } from "@herald/sdk";
import { type SiteConfig, siteConfigSection } from "@herald/site/config";
import { type StoreConfig, storeConfigSection } from "@herald/store/config";
import type { CommandIo } from "./io.js";

/**
 * The sections of `herald.toml` the CLI reads besides the core keys: one per service it runs. Each
 * comes from its package's `./config` subpath, which loads nothing else of the package.
 */
export const cliConfigSections = [
  schemasConfigSection,
  schemaRegistryConfigSection,
  relayConfigSection,
  registryConfigSection,
  storeConfigSection,
  bridgeConfigSection,
  bridgesConfigSection,
  hubConfigSection,
  ircConfigSection,
  notificationsConfigSection,
  siteConfigSection,
] as const;

/** The configuration every command sees: the core keys and each service's section. */
export type CliConfig = HeraldConfig &
  SchemasConfig &
  SchemaRegistryConfig &
  RelayConfig &
  RegistryConfig &
  StoreConfig &
  BridgesConfig &
  HubConfig &
  IrcConfig &
  NotificationsConfig &
  SiteConfig;

/** Loads the configuration the way every command does: `--config`, `HERALD_CONFIG`, default paths. */
export function configFor(options: { config?: string }, io: CommandIo): CliConfig {
  return loadConfig({
    env: io.env,
    cwd: io.cwd,
    sections: cliConfigSections,
    ...(options.config === undefined ? {} : { file: options.config }),
  });
}
