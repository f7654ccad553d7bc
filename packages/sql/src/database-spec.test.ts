import { describe, expect, it } from "vitest";
import { databaseError } from "./database-error.js";
import { parseDatabaseSpec } from "./database-spec.js";

describe("database settings", () => {
  it.each([
    ["sqlite:/var/lib/herald/store.db", { kind: "sqlite", file: "/var/lib/herald/store.db" }],
    ["store.db", { kind: "sqlite", file: "store.db" }],
    [
      "postgres://herald:secret@db/archive?schema=herald",
      { kind: "postgres", schema: "herald", location: "postgres://herald:***@db/archive" },
    ],
    ["postgresql://db/archive", { kind: "postgres", schema: undefined, location: "postgresql://db/archive" }],
  ])("reads %s", (value, want) => {
    expect(parseDatabaseSpec(value)).toMatchObject(want);
  });

  it("keeps the password out of messages but in the connection string", () => {
    const spec = parseDatabaseSpec("postgres://herald:secret@db/archive?schema=herald");
    expect(spec.kind === "postgres" && spec.connectionString).toBe("postgres://herald:secret@db/archive");
  });

  it.each([
    ["mysql://db/x", "--db mysql://db/x: expected sqlite:FILE or postgres://…"],
    ["sqlite:", "--db sqlite:: expected sqlite:FILE or postgres://…"],
    ["postgres://db/x?schema=Bad-Name", "postgres://db/x: schema must be a lower-case SQL name"],
  ])("refuses %s naming the setting", (value, message) => {
    expect(() => parseDatabaseSpec(value, "--db")).toThrow(message);
  });

  it("names the database, the action and a full disk in driver errors", () => {
    const error = databaseError(
      "store.db",
      "store messages",
      Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }),
    );
    expect([error.code, error.message]).toEqual([
      "E_STORE",
      "store.db: cannot store messages: database or disk is full (the disk is full: nothing of this batch was stored)",
    ]);
    expect((error.cause as Error).message).toBe("database or disk is full");
  });
});
