import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningProcess, runHerald, startHerald } from "./processes.js";

/** A `herald registry` of a test and the key that may register with it. */
export interface TestRegistry {
  registry: RunningProcess;
  /** `http://127.0.0.1:<port>` (schemas under `/schemas`). */
  url: string;
  /** The trust file holding the registrant's key (what subscribers verify registrations with). */
  trust: string;
  /** The registrant's private key (`<keyid>.pem` in `dir`). */
  keyFile: string;
  /** The registry's access list: the registrant may register `schemas`. */
  access: string;
}

/**
 * Makes a registrant key in `dir` (with its trust file), an access list letting it register
 * `schemas`, and starts `herald registry` on a free port with its data in `dir/registry`. Stop
 * `registry` when done.
 */
export async function startTestRegistry(
  dir: string,
  keyid = "shop.web01",
  schemas = ["shop.*"],
): Promise<TestRegistry> {
  const trust = join(dir, "trust.json");
  await runHerald(["keygen", keyid, "--dir", dir, "--trust", trust]);
  const { keys } = JSON.parse(readFileSync(trust, "utf8")) as { keys: Record<string, { publicKey: string }> };
  const access = join(dir, "access.json");
  writeFileSync(
    access,
    JSON.stringify({ version: 1, registrants: { [keyid]: { publicKey: keys[keyid]?.publicKey, schemas } } }),
  );
  const registry = startHerald(["registry", "--port", "0", "--data", join(dir, "registry"), "--access", access]);
  await registry.waitFor(/ready: http:\/\/127\.0\.0\.1:\d+\/schemas/);
  const url = /(http:\/\/127\.0\.0\.1:\d+)\/schemas/.exec(registry.output().stderr)?.[1] as string;
  return { registry, url, trust, keyFile: join(dir, `${keyid}.pem`), access };
}
