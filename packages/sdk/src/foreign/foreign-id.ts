import { validate as isUuid, v5 as uuidv5 } from "uuid";

/** The namespace of ids derived from other systems' message ids (a fixed, random UUID). */
const foreignIdNamespace = "6f1c2b8e-3d4a-4f5b-9c7d-2e8a1b0c9d3f";

/**
 * The Herald id of a message from another system: its own id when that already is a UUID (fedmsg's
 * `2026-<uuid>` counts), else a UUID derived from it (version 5), so the same foreign message
 * always gets the same id — which is what lets a bridge recognise it when it comes back around.
 */
export function heraldIdFor(foreignId: string): string {
  if (isUuid(foreignId)) return foreignId.toLowerCase();
  const yearPrefixed = /^\d{4}-([0-9a-f-]{36})$/i.exec(foreignId)?.[1];
  if (yearPrefixed !== undefined && isUuid(yearPrefixed)) return yearPrefixed.toLowerCase();
  return uuidv5(foreignId, foreignIdNamespace);
}
