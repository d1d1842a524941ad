import fs from "fs";
import path from "path";
import { PACKAGE_NAME } from "../shared/version";

/**
 * The `__provider` text of a program that has the package installed. Pulumi's dynamic-provider host
 * runs the text with `require-from-string` in the program's directory and calls its `handler()` for
 * the provider object: that is the whole contract, the same for every state ever written. Pulumi's
 * closure serializer wraps this same `require` in about 290 bytes; the engine stores the text twice
 * per org (inputs and outputs) and rewrites it at every checkpoint, so writing it here saves about
 * 440 bytes per org.
 */
export const INSTALLED_PROVIDER_TEXT = `exports.handler=()=>require("${PACKAGE_NAME}/dynamic")`;

/**
 * The text for this repository's own root program, where the package is the program's directory
 * rather than a dependency. The path is relative to that directory, so the checkout can move.
 */
export const CHECKOUT_PROVIDER_TEXT = `exports.handler=()=>require(require("path").resolve("dist/provider/providerObject.js"))`;

const byDirectory = new Map<string, string>();

/**
 * Which text works for a program run in `programDir` (the dynamic-provider process runs there too),
 * decided once per directory. Only this checkout is told apart by its package.json: resolving the
 * package from here would not tell, since Node lets a package require itself by name, which the
 * host's `require-from-string` module (no file name) cannot.
 */
export function providerText(programDir: string = process.cwd()): string {
  let text = byDirectory.get(programDir);
  if (text === undefined) {
    text = packageNameAt(programDir) === PACKAGE_NAME ? CHECKOUT_PROVIDER_TEXT : INSTALLED_PROVIDER_TEXT;
    byDirectory.set(programDir, text);
  }
  return text;
}

function packageNameAt(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
