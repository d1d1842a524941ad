import fs from "fs";
import path from "path";

/**
 * The package's own manifest, read at run time from the nearest package.json above this file (the
 * package root, whether this runs from provider/ or from dist/provider/). An `import` of
 * ../package.json would make tsc emit a copy as dist/package.json, and Node would then take dist/
 * for the package's root when the package resolves its own exports (dist/dist/...).
 */
function ownManifest(): { name: string; version: string } {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

const manifest = ownManifest();
export const PACKAGE_NAME: string = manifest.name;
export const PACKAGE_VERSION: string = manifest.version;
