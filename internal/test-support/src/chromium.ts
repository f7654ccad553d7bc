import { appAvailable } from "./debian-apps.js";

/** Debian's Chromium, the browser the browser tests drive (never a downloaded one). */
export const chromiumPath = process.env.HERALD_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether the browser tests run: in CI always (a missing Chromium then fails them rather than
 * skipping them); elsewhere when Debian's `chromium` is installed.
 */
export function chromiumAvailable(): boolean {
  return appAvailable("chromium");
}

/** Launch options for playwright-core's `chromium.launch`: Debian's binary, headless, no sandbox. */
export const chromiumLaunchOptions = {
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox"],
};
