/**
 * The C# SDK, generated from schema.json by the pinned generator (tools/sdkgen-dotnet, `pkg/v3` v3.206.0,
 * the last release that holds Pulumi's C# generator). Generated, not built or run: these machines have no
 * .NET (docs/native-plugin.md, C#). What can be checked without it: the files are there, and the classes
 * carry every property, config variable, enum value and function the schema declares, at the schema's version.
 */
import fs from "fs";
import path from "path";
import { execFile } from "child_process";
import { REPO_ROOT } from "../../scripts/lib/workspace";
import { tempDir, timingLog } from "../support/e2eHarness";

jest.setTimeout(600_000);

interface SchemaObject {
  properties?: Record<string, unknown>;
  inputProperties?: Record<string, unknown>;
  enum?: Array<{ value: string }>;
}
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")) as {
  version: string;
  resources: Record<string, SchemaObject>;
  provider: SchemaObject;
  functions: Record<string, unknown>;
  types: Record<string, SchemaObject>;
};
const instanceOrg = schema.resources["losant:index:InstanceOrg"];

function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { cwd, env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" }, encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(" ")} failed: ${stdout}${stderr}`)) : resolve(stdout),
    ),
  );
}

/** The text of a C# class, from its declaration to the next class declaration. */
function classText(source: string, name: string): string {
  const start = source.indexOf(`class ${name} `);
  if (start === -1) throw new Error(`no class ${name}`);
  const next = source.indexOf(" class ", start + 1);
  return source.slice(start, next === -1 ? undefined : next);
}

const attributeNames = (text: string, attribute: "Input" | "Output") =>
  [...text.matchAll(new RegExp(`\\[${attribute}\\("([^"]+)"`, "g"))].map((m) => m[1]).sort();
const keys = (object: Record<string, unknown> | undefined) => Object.keys(object ?? {}).sort();

describe("the C# SDK generated from schema.json", () => {
  const timed = timingLog("csharpSdk step times");
  let sdk: string;
  const read = (file: string) => fs.readFileSync(path.join(sdk, file), "utf8");

  beforeAll(async () => {
    const work = tempDir("losant-sdkgen-dotnet-");
    const tool = path.join(work, "sdkgen-dotnet");
    await timed("build tools/sdkgen-dotnet", () => run("go", ["build", "-trimpath", "-o", tool, "."], path.join(REPO_ROOT, "tools", "sdkgen-dotnet")));
    sdk = path.join(work, "sdk");
    await timed("generate", () => run(tool, ["-schema", path.join(REPO_ROOT, "schema.json"), "-out", sdk], work));
  });

  test("has the project, the resource, the provider, the function, the enums and the types", () => {
    for (const file of ["Pulumi.Losant.csproj", "pulumi-plugin.json", "InstanceOrg.cs", "Provider.cs", "GetInstanceOrgs.cs", "Enums.cs", "Config/Config.cs"]) {
      expect([file, fs.existsSync(path.join(sdk, file))]).toEqual([file, true]);
    }
  });

  test("InstanceOrgArgs has every input of the schema, and InstanceOrg every output", () => {
    const source = read("InstanceOrg.cs");
    expect(source).toContain('[LosantResourceType("losant:index:InstanceOrg")]');
    expect(attributeNames(classText(source, "InstanceOrgArgs"), "Input")).toEqual(keys(instanceOrg.inputProperties));
    expect(attributeNames(classText(source, "InstanceOrg"), "Output")).toEqual(keys(instanceOrg.properties));
  });

  test("ProviderArgs has every config variable, and the function and enums are the schema's", () => {
    expect(attributeNames(classText(read("Provider.cs"), "ProviderArgs"), "Input")).toEqual(keys(schema.provider.inputProperties));
    expect(Object.keys(schema.functions)).toEqual(["losant:index:getInstanceOrgs"]);
    expect(read("GetInstanceOrgs.cs")).toContain('"losant:index:getInstanceOrgs"');
    const enums = read("Enums.cs");
    for (const [token, type] of Object.entries(schema.types).filter(([, t]) => t.enum)) {
      for (const { value } of type.enum!) expect([token, enums.includes(`("${value}")`)]).toEqual([token, true]);
    }
  });

  test("asks for the plugin at the schema's version", () => {
    expect(JSON.parse(read("pulumi-plugin.json"))).toEqual({ resource: true, name: "losant", version: schema.version });
    expect(read("Pulumi.Losant.csproj")).toContain(`<Version>${schema.version}</Version>`);
  });
});
