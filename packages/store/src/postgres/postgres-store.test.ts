import { describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { openPostgresStore } from "./postgres-store.js";

describe("the PostgreSQL store's failures", () => {
  it("says which database cannot be reached, without its password", async () => {
    const opening = openPostgresStore("postgres://herald:secret@127.0.0.1:1/archive");
    await expect(opening).rejects.toThrow(
      "postgres://herald:***@127.0.0.1:1/archive: cannot open the message store: connect ECONNREFUSED 127.0.0.1:1",
    );
    await expect(opening).rejects.toMatchObject({ code: "E_STORE" });
  });

  it("refuses a schema name that is not a plain SQL name", async () => {
    await expect(openPostgresStore("postgres://127.0.0.1:1/test?schema=x;drop")).rejects.toThrow(
      "schema must be a lower-case SQL name",
    );
  });

  it("tells a --db value it cannot use", async () => {
    await expect(openStore("mysql://127.0.0.1/x")).rejects.toThrow(
      "--db mysql://127.0.0.1/x: expected sqlite:FILE or postgres://…",
    );
  });
});
