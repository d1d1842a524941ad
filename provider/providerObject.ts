import type * as dynamic from "@pulumi/pulumi/dynamic";

type Implementation = typeof import("./lifecycle");

/**
 * Loads the implementation (provider/lifecycle) once per process, from the program's directory (the
 * dynamic-provider process's cwd): the installed package, or the checkout itself when the program is
 * this repository's root program.
 */
function load(): Implementation {
  const cache = globalThis as { __losantInstanceOrg?: Implementation };
  if (!cache.__losantInstanceOrg) {
    const entry = "dist/provider/lifecycle.js";
    let file: string;
    try {
      file = require.resolve(`pulumi-losant-instance-org/${entry}`, { paths: [process.cwd()] });
    } catch {
      const path = require("path");
      if (require(path.resolve("package.json")).name !== "pulumi-losant-instance-org") {
        throw new Error(`pulumi-losant-instance-org is not installed in ${process.cwd()}`);
      }
      file = path.resolve(entry);
    }
    cache.__losantInstanceOrg = require(file) as Implementation;
  }
  return cache.__losantInstanceOrg;
}

function forward<K extends keyof Implementation>(method: K): Implementation[K] {
  return ((...args: unknown[]) => (load()[method] as (...a: unknown[]) => unknown)(...args)) as Implementation[K];
}

/**
 * The provider object Pulumi's dynamic-provider host runs for every InstanceOrg: the `__provider`
 * text each org records (providerText.ts) requires this module, as `pulumi-losant-instance-org/dynamic`
 * or, in this repository's own root program, by its path. States written by earlier versions hold
 * Pulumi's serialized closure instead, which requires it by that subpath or by
 * `dist/provider/providerObject.js` (both stay exported), or, for the root program, holds this code
 * itself. So it stays the whole `module.exports`, and each method only forwards to the implementation
 * loaded at run time from the program's directory: it captures no token, no `this` and no absolute
 * path, and keeps working when the project moves.
 */
const instanceOrgProvider: dynamic.ResourceProvider = {
  configure: forward("configure"),
  check: forward("check"),
  diff: forward("diff"),
  create: forward("create"),
  read: forward("read"),
  update: forward("update"),
  delete: forward("remove"),
};

export = instanceOrgProvider;
