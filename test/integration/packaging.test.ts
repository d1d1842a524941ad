/**
 * The package as npm ships it. Every InstanceOrg's state holds `require("<package>/<path>")` for the
 * provider object, and that object loads the implementation by package path at run time: those
 * paths are a contract with every stack ever deployed, so they must stay in the exports map and in
 * the packed files. Needs `npm run build` first (test:unit does it).
 */
import fs from "fs";
import os from "os";
import path from "path";
import { execFileSync } from "child_process";
import { getModuleFromPath } from "@pulumi/pulumi/runtime/closure/package";
import { REPO_ROOT } from "../../scripts/lib/workspace";

const NAME = "pulumi-losant-instance-org";

/**
 * Subpaths written into state by any version so far: the provider object (as `dynamic` now, by its
 * file's path in earlier versions), and the implementation it loads.
 */
const STATE_PATHS = ["dynamic", "dist/provider/providerObject.js", "dist/provider/lifecycle.js"];
/** Where each subpath leads in the package. */
const STATE_FILES: Record<string, string> = {
  dynamic: "dist/provider/providerObject.js",
  "dist/provider/providerObject.js": "dist/provider/providerObject.js",
  "dist/provider/lifecycle.js": "dist/provider/lifecycle.js",
};

let installDir: string;
let packageDir: string;
let manifest: { name: string; exports: Record<string, string | { types: string; default: string }> };

beforeAll(() => {
  installDir = fs.mkdtempSync(path.join(os.tmpdir(), "losant-pack-"));
  packageDir = path.join(installDir, "node_modules", NAME);
  fs.mkdirSync(packageDir, { recursive: true });
  // --ignore-scripts: packing must not rebuild (prepare) under a running test.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", installDir], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  ) as Array<{ filename: string }>;
  execFileSync("tar", ["-xzf", path.join(installDir, packed[0].filename), "-C", packageDir, "--strip-components=1"]);
  manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
}, 60_000);

afterAll(() => fs.rmSync(installDir, { recursive: true, force: true }));

/** Resolves specifiers from a program directory with the package installed, in a plain node process. */
function resolveFromProgram(specifiers: string[], mode: "require" | "import"): Array<string | { error: string }> {
  const script =
    mode === "require"
      ? `const out = JSON.parse(process.argv[1]).map((s) => { try { return require.resolve(s); } catch (e) { return { error: e.code }; } }); console.log(JSON.stringify(out));`
      : `const out = JSON.parse(process.argv[1]).map((s) => { try { return new URL(import.meta.resolve(s)).pathname; } catch (e) { return { error: e.code }; } }); console.log(JSON.stringify(out));`;
  const args = mode === "require" ? ["-e", script] : ["--input-type=module", "-e", script];
  return JSON.parse(execFileSync(process.execPath, [...args, JSON.stringify(specifiers)], { cwd: installDir, encoding: "utf8" }));
}

test("every path that state may reference is in the exports map and resolves through the package name", () => {
  for (const subpath of STATE_PATHS) expect(manifest.exports).toHaveProperty([`./${subpath}`]);
  const resolved = resolveFromProgram(
    STATE_PATHS.map((p) => `${NAME}/${p}`),
    "require",
  );
  expect(resolved).toEqual(STATE_PATHS.map((p) => path.join(fs.realpathSync(packageDir), STATE_FILES[p])));
});

test("from inside the package too, as the provider object resolves its implementation", () => {
  // A module of the package resolving the package's own name goes through the exports of the nearest
  // package.json above it (self-reference): that must be the package root's, not a stray one in dist/.
  const script = `
    const { createRequire } = require("module");
    const [from, specifiers] = JSON.parse(process.argv[1]);
    const out = specifiers.map((s) => { try { return createRequire(from).resolve(s, { paths: [process.cwd()] }); } catch (e) { return { error: e.message }; } });
    console.log(JSON.stringify(out));`;
  const from = path.join(packageDir, "dist/provider/providerObject.js");
  const resolved = JSON.parse(
    execFileSync(process.execPath, ["-e", script, JSON.stringify([from, STATE_PATHS.map((p) => `${NAME}/${p}`)])], { cwd: installDir, encoding: "utf8" }),
  );
  expect(resolved).toEqual(STATE_PATHS.map((p) => path.join(fs.realpathSync(packageDir), STATE_FILES[p])));
});

test("Pulumi's closure serializer names the provider object by its short path", () => {
  // The serializer turns the module file into a `require` path through the exports map, taking the
  // last subpath that leads to the file: what every org's state holds twice, so the shorter the better.
  expect(getModuleFromPath(`${NAME}/dist/provider/providerObject.js`, manifest)).toBe(`${NAME}/dynamic`);
  expect(getModuleFromPath(`${NAME}/dist/provider/lifecycle.js`, manifest)).toBe(`${NAME}/dist/provider/lifecycle.js`);
});

test("the entry resolves for require and import, and its types ship", () => {
  const entry = path.join(fs.realpathSync(packageDir), "dist/provider/index.js");
  expect(resolveFromProgram([NAME], "require")).toEqual([entry]);
  expect(resolveFromProgram([NAME], "import")).toEqual([entry]);
  expect(resolveFromProgram([`${NAME}/package.json`], "require")).toEqual([path.join(fs.realpathSync(packageDir), "package.json")]);
  const entryExports = manifest.exports["."];
  const types = typeof entryExports === "string" ? entryExports.replace(/\.js$/, ".d.ts") : entryExports.types;
  expect(fs.existsSync(path.join(packageDir, types))).toBe(true);
});

test("other files are not part of the contract: a deep import outside the map is refused", () => {
  // Proves the exports map is in force, so the resolutions above are through it.
  expect(resolveFromProgram([`${NAME}/dist/provider/resource.js`], "require")).toEqual([{ error: "ERR_PACKAGE_PATH_NOT_EXPORTED" }]);
});
