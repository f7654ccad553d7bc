import type { TSchema } from "@sinclair/typebox";

/** An environment variable that overrides one key of a section: its path under the section's key. */
export interface EnvironmentOverride {
  path: string[];
  /** Comma-separated in the variable. */
  list?: true;
  integer?: true;
}

/** What a section's `resolve` is given besides its own merged value. */
export interface SectionContext {
  /**
   * Resolves a file or folder value against the folder of the file that set it (or the working
   * directory for defaults and environment values). `key` is the dotted key, e.g. `store.db`.
   */
  path(key: string, value: string | undefined): string | undefined;
  /** A `sqlite:FILE` or `postgres://…` value with its file resolved like {@link SectionContext.path}. */
  database(key: string, value: string | undefined): string | undefined;
  /** The whole merged file, for a setting that defaults to another section's (`notifications.db`). */
  readonly merged: Readonly<Record<string, unknown>>;
  /** Where Herald keeps state: `$XDG_STATE_HOME/herald`. */
  readonly stateDir: string;
  /**
   * Refuses a value beyond what the schema checks, naming its key and where it was set.
   * @throws HeraldError `E_CONFIG`
   */
  fail(key: string, what: string): never;
}

/**
 * One top-level key of `herald.toml` that a package owns (`[store]`, `[[bridges]]`): its TypeBox
 * schema, defaults and `HERALD_*` overrides, and how its merged value becomes typed settings.
 * `loadConfig({ sections })` composes them with the core keys, so the SDK knows nothing of the
 * services above it and a service's settings live beside its code.
 */
export interface ConfigSection<Key extends string = string, Settings = unknown> {
  readonly key: Key;
  /** The form of the value under `key` in the file. */
  readonly schema: TSchema;
  /** The defaults, written as in the file: they show as `default` in `herald config`. */
  readonly defaults?: Readonly<Record<string, unknown>> | readonly unknown[];
  /** `HERALD_<KEY>_<NAME>` variables, by name, with the path under `key` they set. */
  readonly environment?: Readonly<Record<string, EnvironmentOverride>>;
  /** The typed settings from the merged value (file over defaults, environment over file). */
  resolve(value: unknown, context: SectionContext): Settings;
}

/** Declares a configuration section: see {@link ConfigSection}. */
export function defineConfigSection<const Key extends string, Settings>(
  section: ConfigSection<Key, Settings>,
): ConfigSection<Key, Settings> {
  return section;
}

/** The settings `loadConfig` adds for `sections`: `{ store: StoreSettings, hub: HubSettings }`. */
export type SettingsOf<Sections extends readonly ConfigSection[]> = {
  [Section in Sections[number] as Section["key"]]: Section extends ConfigSection<string, infer Settings>
    ? Settings
    : never;
};
