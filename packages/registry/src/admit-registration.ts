import { diffSchemas } from "@herald/codegen";
import { readRegistration, registrationSignedBy, type SchemaEntry, type SchemaRegistration } from "@herald/schemas";
import type { AccessList } from "./access-list.js";
import type { RegistryStore, StoredVersion } from "./registry-store.js";

/** What the registry decided about one registration. */
export type RegistrationVerdict =
  | { status: "registered" | "unchanged"; version: StoredVersion }
  | {
      status: "refused";
      /** 400 not a registration, 403 not allowed, 409 against the versioning policy. */
      code: 400 | 403 | 409;
      reason: string;
      /** The schema diff's changes that make it so, `<path> <rule> (<detail>)`. */
      changes?: string[];
    };

const refuse = (code: 400 | 403 | 409, reason: string, changes?: string[]): RegistrationVerdict => ({
  status: "refused",
  code,
  reason,
  ...(changes === undefined ? {} : { changes }),
});

/**
 * Admits a registration only as the versioning policy allows (docs/schemas.md): from a key the
 * access list lets register that name, signed by it; a released version never changes; a minor
 * version follows the one before it and breaks nothing of it. An identical registration is
 * answered `unchanged`, so publishing a folder again is harmless.
 */
export function admitRegistration(
  value: unknown,
  target: { name: string; version: string },
  access: AccessList,
  store: RegistryStore,
): RegistrationVerdict {
  const reading = readRegistration(value);
  if (!reading.ok) return refuse(400, reading.reason);
  // Only the signed fields are kept and served: anything else in the body is dropped here.
  const { name, version, schema, presentation, keyid, sig } = value as SchemaRegistration;
  const registration: SchemaRegistration = {
    name,
    version,
    schema,
    ...(presentation === undefined ? {} : { presentation }),
    keyid,
    sig,
  };
  const { entry } = reading;
  if (entry.name !== target.name || entry.version !== target.version)
    return refuse(400, `the body registers ${entry.name} ${entry.version}, not ${target.name} ${target.version}`);
  const key = access.key(registration.keyid);
  if (key === undefined) return refuse(403, `key ${registration.keyid} is not in the access list`);
  if (!access.allows(registration.keyid, entry.name))
    return refuse(403, `key ${registration.keyid} may not register ${entry.name}`);
  if (!registrationSignedBy(registration, key))
    return refuse(403, `the signature of ${registration.keyid} does not verify`);

  const existing = store.get(entry.name, entry.version);
  try {
    return admitVersion(registration, entry, existing, store);
  } catch (cause) {
    // A comparison that cannot be made (a stored document the diff cannot walk) is a refusal, not a 500.
    return refuse(
      409,
      `${entry.name} ${entry.version} cannot be compared with what is registered: ${(cause as Error).message}`,
    );
  }
}

function admitVersion(
  registration: SchemaRegistration,
  entry: SchemaEntry,
  existing: StoredVersion | undefined,
  store: RegistryStore,
): RegistrationVerdict {
  if (existing !== undefined) {
    if (
      existing.registration.schema === registration.schema &&
      existing.registration.presentation === registration.presentation
    )
      return { status: "unchanged", version: existing };
    const changes = describe(diffSchemas(existing.entry.document, entry.document).changes);
    if (existing.registration.presentation !== registration.presentation) changes.push("presentation document differs");
    if (changes.length === 0) changes.push("the file's text differs (formatting or descriptions)");
    return refuse(
      409,
      `${entry.name} ${entry.version} is released: a released version never changes; add a new version instead`,
      changes,
    );
  }
  const [major, minor] = entry.version.split(".").map(Number) as [number, number];
  if (minor > 0) {
    const previous = store.get(entry.name, `${major}.${minor - 1}`);
    if (previous === undefined)
      return refuse(
        409,
        `${entry.name} ${entry.version} follows ${major}.${minor - 1}, which is not registered: register it first`,
      );
    // A presentation belongs to the major: every minor carries its first version's.
    if (previous.registration.presentation !== registration.presentation)
      return refuse(
        409,
        `${entry.name} ${entry.version}: a presentation belongs to the major; it must be ${major}.${minor - 1}'s (a new presentation needs a new major)`,
      );
    const breaking = diffSchemas(previous.entry.document, entry.document).changes.filter((change) => change.breaking);
    if (breaking.length > 0)
      return refuse(
        409,
        `${entry.name} ${entry.version} breaks ${previous.entry.version}: a breaking change needs a new major (${major + 1}.0)`,
        describe(breaking),
      );
  }
  return { status: "registered", version: store.put(registration) };
}

function describe(changes: readonly { path: string; rule: string; detail: string; breaking: boolean }[]): string[] {
  return changes.map(
    (change) => `${change.path} ${change.rule} (${change.detail})${change.breaking ? ", breaking" : ""}`,
  );
}
