import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The provider object Pulumi serializes into every InstanceOrg's state as `__provider`.
 *
 * Each method only loads the implementation (provider/lifecycle) at run time and forwards the call,
 * so the serialized text stays a few hundred bytes, captures no token, no `this` and no absolute
 * path, and keeps working when the project moves to another directory. The loader looks for the
 * installed package from the program's directory (the dynamic-provider process's cwd) and, for
 * programs inside this repository, for the nearest enclosing checkout of it.
 */
function loadImplementation(): typeof import("./lifecycle") {
  const name = "pulumi-losant-instance-org";
  const entry = "dist/provider/lifecycle.js";
  const path = require("path");
  const fs = require("fs");
  try {
    return require(require.resolve(`${name}/${entry}`, { paths: [process.cwd()] }));
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
  }
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === name) {
      return require(path.join(dir, entry));
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`Cannot find ${name} from ${process.cwd()}: install it in the Pulumi program (npm install ${name}) and build it.`);
}

export const instanceOrgProvider: dynamic.ResourceProvider = {
  async configure(req) {
    return loadImplementation().configure(req);
  },
  async check(olds, news) {
    return loadImplementation().check(olds, news);
  },
  async diff(id, olds, news) {
    return loadImplementation().diff(id, olds, news);
  },
  async create(inputs) {
    return loadImplementation().create(inputs);
  },
  async read(id, props) {
    return loadImplementation().read(id, props);
  },
  async update(id, olds, news) {
    return loadImplementation().update(id, olds, news);
  },
  async delete(id, props) {
    return loadImplementation().remove(id, props);
  },
};
