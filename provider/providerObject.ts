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
 * The provider object Pulumi serializes into every InstanceOrg's state as `__provider`, twice (in
 * inputs and outputs). It is this module's whole `module.exports` on purpose: when the package is
 * installed under node_modules, Pulumi's closure serializer then writes a mere
 * `require("pulumi-losant-instance-org/dynamic")` instead of the code: it names the module by the
 * last subpath of package.json's `exports` that maps to this file, so `./dynamic` comes after
 * `./dist/provider/providerObject.js` (the path earlier versions wrote, still exported). Where
 * it is not (this repository's own root program), the code is serialized, and each method only
 * forwards to the implementation loaded at run time. Either way the text stays small (its size
 * drives the engine's checkpoint cost on big fleets), captures no token, no `this` and no absolute
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
