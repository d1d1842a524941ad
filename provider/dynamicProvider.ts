import instanceOrgProvider = require("./providerObject");

/** The `pulumi.dynamic.ResourceProvider` behind every InstanceOrg. */
export { instanceOrgProvider };
