import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";
import { describe, expect, it } from "vitest";
import { workspacePackages } from "./pack-install.js";

// Each public entry point's API report (api-extractor), committed under <package>/api/: a change
// to what a package exports shows in review as a change to its report. `npm run api` in this
// package rewrites the reports (HERALD_API_UPDATE=1); CI fails when one is stale.
const update = process.env.HERALD_API_UPDATE === "1";

interface Entry {
  name: string;
  dir: string;
  /** `index`, `testing`, `config`, … */
  report: string;
  typings: string;
}

function entries(): Entry[] {
  const found: Entry[] = [];
  for (const [name, dir] of workspacePackages()) {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      exports?: Record<string, { types?: string }>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (target.types === undefined || !target.types.startsWith("./dist/")) continue;
      found.push({
        name,
        dir,
        report: subpath === "." ? "index" : subpath.slice(2).replaceAll("/", "-"),
        typings: join(dir, target.types),
      });
    }
  }
  return found;
}

describe("the public API of every package", () => {
  it.each(entries().map((entry) => [`${entry.name}/${entry.report}`, entry] as const))(
    "%s matches its committed report",
    (_, entry) => {
      const apiDir = join(entry.dir, "api");
      mkdirSync(apiDir, { recursive: true });
      const config = ExtractorConfig.prepare({
        configObject: {
          projectFolder: entry.dir,
          mainEntryPointFilePath: entry.typings,
          compiler: { tsconfigFilePath: join(entry.dir, "tsconfig.build.json") },
          apiReport: {
            enabled: true,
            reportFolder: apiDir,
            reportTempFolder: join(tmpdir(), "herald-api-reports"),
            reportFileName: `${entry.report}.api.md`,
          },
          newlineKind: "lf",
          docModel: { enabled: false },
          dtsRollup: { enabled: false },
          tsdocMetadata: { enabled: false },
          messages: {
            compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
            extractorMessageReporting: {
              default: { logLevel: ExtractorLogLevel.Warning },
              // Herald marks no release stages (@public, @beta): every export is public.
              "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
              "ae-forgotten-export": { logLevel: ExtractorLogLevel.None },
            },
            tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          },
        },
        configObjectFullPath: join(entry.dir, "api-extractor.json"),
        packageJsonFullPath: join(entry.dir, "package.json"),
      });
      const result = Extractor.invoke(config, {
        localBuild: update,
        showVerboseMessages: false,
        messageCallback: (message) => {
          message.handled = true;
        },
      });
      const report = join(apiDir, `${entry.report}.api.md`);
      expect(existsSync(report), `${report} is missing: run npm run api -w @herald/package-tests`).toBe(true);
      expect(
        result.apiReportChanged,
        `the API of ${entry.name}/${entry.report} changed: run npm run api -w @herald/package-tests and commit ${report}`,
      ).toBe(false);
    },
  );
});
