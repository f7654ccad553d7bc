import { catalogue } from "@herald/schemas";
import { describe, expect, it } from "vitest";
import { fallbackIcon, iconSvg } from "./icons.js";

describe("the vendored icons", () => {
  it("hold every icon the catalogue names (run scripts/vendor-icons.js after adding one)", () => {
    const fallback = iconSvg(fallbackIcon);
    for (const topic of catalogue)
      expect([topic.name, topic.icon, iconSvg(topic.icon) !== fallback || topic.icon === fallbackIcon]).toEqual([
        topic.name,
        topic.icon,
        true,
      ]);
  });

  it("answers an unknown or path-like name with the fallback", () => {
    expect(iconSvg("no-such-icon")).toBe(iconSvg(fallbackIcon));
    expect(iconSvg("../../package")).toBe(iconSvg(fallbackIcon));
    expect(iconSvg("tag")).toMatch(/^<svg aria-hidden="true" class="icon"/);
  });
});
