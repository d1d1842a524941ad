// @ts-check
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { createNodeResolver, importX } from "eslint-plugin-import-x";

/**
 * The layers of the tree; imports point down only.
 *
 *   programs: index.ts (root program), bin/ (the package's command line), examples/, scripts/, bench/, test/
 *   provider/                    the package entry is provider/index.ts; inside it, program/ (runs in the
 *                                user's Pulumi program) and server/ (runs in the provider process) share
 *                                only shared/ and never import each other
 *   client/      emulator/       peers: both speak the contract below, neither knows the other
 *   losant/                      facts about Losant's API
 *
 * Nothing below provider/ imports Pulumi (`@pulumi/*`): losant/, client/ and emulator/ know Losant's
 * API and HTTP, and the Pulumi side of each concept lives in provider/.
 *
 * import-x resolves every import (including `require` and `import x = require`) to a file before it
 * compares paths, so a detour such as `../losant/../provider` is caught too.
 */
const PRODUCT = ["losant", "client", "emulator", "provider"];
const PROGRAMS = ["bin", "scripts", "bench", "test", "examples", "index.ts"];
const BELOW_PROVIDER = ["losant", "client", "emulator"];
const layerZones = [
  { target: "losant", from: ["client", "emulator"], message: "losant/ is the bottom layer and imports no other project folder." },
  { target: "client", from: "emulator", message: "client/ imports only losant/; the emulator is its peer, not its dependency." },
  { target: "emulator", from: "client", message: "emulator/ imports only losant/; it must not reuse the client it is meant to test." },
  { target: "provider", from: "emulator", message: "provider/ reaches Losant through client/; the emulator is a stand-in for tests and demos." },
  {
    // Everything outside these folders (losant/, client/, emulator/ and any new top-level folder) is below
    // the provider or a peer of it.
    target: "!(provider|bin|scripts|bench|examples|test)/**",
    from: "provider",
    message: "Only the package entry (provider/index.ts) and programs (index.ts, bin/, examples/, scripts/, bench/, test/) import provider/.",
  },
  { target: "provider/shared", from: ["provider/program", "provider/server"], message: "provider/shared/ serves both sides and imports neither." },
  {
    target: "provider/program",
    from: "provider/server",
    message: "provider/program/ runs in the user's program; it reaches the provider process only through the provider object.",
  },
  {
    target: "provider/server",
    from: "provider/program",
    message: "provider/server/ runs in the provider process and must not load what runs in the user's program.",
  },
  { target: PRODUCT, from: PROGRAMS, message: "Product code must not depend on tests, tools or programs." },
  {
    // Resolved like every import, so `require` and `import x = require` are caught too.
    target: BELOW_PROVIDER,
    from: "node_modules/@pulumi",
    message: "No Pulumi below provider/: losant/, client/ and emulator/ speak Losant's API and HTTP; the Pulumi side lives in provider/.",
  },
];

const RELATIVE_IMPORT_TYPE = {
  selector: "TSImportType Literal[value=/^\\.\\.\\//]",
  message: "Use `import type` for a type from another folder, so the layer check can see it.",
};
const PULUMI_IMPORT_TYPE = {
  selector: "TSImportType Literal[value=/^@pulumi\\//]",
  message: "No Pulumi below provider/: the Pulumi side lives in provider/.",
};

/**
 * Below provider/, Losant's facts (losant/) and the HTTP client (client/) speak Losant's API and HTTP:
 * no Pulumi notion in code, strings or comments. The package's own name is the one exception.
 */
const PULUMI_WORDS = [
  [/pulumi/i, "Pulumi"],
  [/\bstacks?\b/i, "a stack"],
  [/\brefresh/i, "refresh"],
  [/\bpreview\b/i, "preview"],
  [/\bdestroy\b/i, "destroy"],
  [/\bengine\b/i, "the engine"],
  [/--parallel\b/, "--parallel"],
  [/\b(the|in) state\b/i, "the state"],
  [/\blosant:[a-z]/i, "a provider config key"],
];
const layerWords = {
  meta: { type: "problem", schema: [] },
  create(context) {
    return {
      Program() {
        const lines = context.sourceCode.lines;
        lines.forEach((line, index) => {
          const text = line.replaceAll("pulumi-losant-instance-org", "");
          for (const [pattern, what] of PULUMI_WORDS) {
            const match = pattern.exec(text);
            if (match === null) continue;
            context.report({
              loc: { line: index + 1, column: 0 },
              message: `No Pulumi notion below provider/ (${what}: "${match[0]}"): say it in Losant's or HTTP terms; the provider adds the Pulumi side.`,
            });
          }
        });
      },
    };
  },
};

export default defineConfig(
  { ignores: ["dist/**", "**/node_modules/**", "bench/out/**", ".tools/**"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mjs"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json", ".node"] })],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { basePath: import.meta.dirname, zones: layerZones }],
      // `_` marks a parameter the signature requires but this body does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // `import x = require(...)` is how TypeScript imports an `export =` module such as providerObject.
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
    },
  },
  {
    // import-x does not see `typeof import("...")` types; in product code such a reference across folders
    // must be an `import type`, which the layer check does see.
    files: PRODUCT.map((dir) => `${dir}/**`),
    rules: {
      "no-restricted-syntax": ["error", RELATIVE_IMPORT_TYPE],
    },
  },
  {
    files: ["losant/**", "client/**"],
    plugins: { layers: { rules: { "no-pulumi-words": layerWords } } },
    rules: { "layers/no-pulumi-words": "error" },
  },
  {
    // import-x does not see `typeof import("...")` types either: below provider/, none may name Pulumi.
    files: BELOW_PROVIDER.map((dir) => `${dir}/**`),
    rules: {
      // A later block's options replace an earlier one's, so this repeats the rule every product folder has.
      "no-restricted-syntax": ["error", RELATIVE_IMPORT_TYPE, PULUMI_IMPORT_TYPE],
    },
  },
  {
    // The serialized provider resolves its implementation at run time from the program's directory,
    // so it must call require() inside the function Pulumi serializes.
    files: ["provider/providerObject.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Benchmark contenders are written the way Pulumi's dynamic-provider docs write them, untyped inputs included.
    files: ["bench/programs/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["jest.config.js"],
    languageOptions: { sourceType: "commonjs" },
  },
);
