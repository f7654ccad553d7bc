// Copies the icons the site can show from lucide-static (a development dependency: 67 MB for
// thousands of icons) into assets/icons, with Lucide's license, so the published package ships a
// few kilobytes. Run after adding a topic whose icon is not here: node scripts/vendor-icons.js
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const lucide = dirname(require.resolve("lucide-static/package.json"));
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "assets", "icons");

// The catalogue's icons, the fallback, and common ones an app's own topics may name.
const names = [
  "activity",
  "alarm-clock",
  "archive",
  "badge-check",
  "bell",
  "bell-ring",
  "book-open",
  "bot",
  "box",
  "bug",
  "calendar",
  "check",
  "circle-alert",
  "circle-check",
  "circle-x",
  "clipboard-check",
  "clock",
  "cloud",
  "cloud-check",
  "cloud-upload",
  "code",
  "cog",
  "container",
  "cpu",
  "credit-card",
  "database",
  "download",
  "download-cloud",
  "file",
  "file-pen",
  "file-plus",
  "file-up",
  "file-x",
  "flag",
  "folder",
  "gift",
  "git-branch",
  "git-branch-minus",
  "git-branch-plus",
  "git-commit",
  "git-merge",
  "git-pull-request",
  "globe",
  "hammer",
  "hard-drive",
  "heart",
  "info",
  "key",
  "list-checks",
  "lock",
  "log-in",
  "log-out",
  "mail",
  "megaphone",
  "message-square",
  "monitor",
  "package",
  "package-check",
  "package-plus",
  "pencil",
  "play",
  "refresh-cw",
  "refresh-cw-off",
  "rocket",
  "server",
  "settings",
  "shield",
  "shield-alert",
  "shield-check",
  "shopping-cart",
  "square",
  "star",
  "tag",
  "terminal",
  "trash-2",
  "triangle-alert",
  "truck",
  "unlock",
  "upload",
  "user",
  "user-minus",
  "user-plus",
  "users",
  "wrench",
  "zap",
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const missing = names.filter((name) => !existsSync(join(lucide, "icons", `${name}.svg`)));
if (missing.length > 0) throw new Error(`not in lucide-static: ${missing.join(", ")}`);
for (const name of names) copyFileSync(join(lucide, "icons", `${name}.svg`), join(out, `${name}.svg`));
copyFileSync(join(lucide, "LICENSE"), join(out, "LICENSE"));
console.log(`${readdirSync(out).length - 1} icons in ${out}`);
