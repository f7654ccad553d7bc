import { describe, expect, it } from "vitest";
import type { BridgeConfig } from "./bridge-config.js";
import { foreignEndpoint } from "./foreign-connection.js";

const bridge = (url: string) => ({ name: "bugzilla", kind: "stomp", url }) as BridgeConfig;

describe("foreignEndpoint", () => {
  it.each([
    ["stomp://", 'bridge bugzilla: url "stomp://" names no host'],
    ["stomp://h:99999", 'bridge bugzilla: url "stomp://h:99999" is not a URL'],
    ["ftp://h", "bridge bugzilla: url must start with stomp:// or tcp:// or stomp+ssl:// or stomps:// or ssl://"],
  ])("refuses %s in one line naming the bridge", (url, message) => {
    expect(() => foreignEndpoint(bridge(url), "stomp")).toThrow(message);
  });

  it("takes the default port of the scheme", () => {
    expect(foreignEndpoint(bridge("stomp://broker.example.org"), "stomp")).toMatchObject({
      host: "broker.example.org",
      port: 61613,
    });
  });
});
