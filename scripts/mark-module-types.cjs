// Each build folder declares its own module format, so Node reads dist/esm as ESM and dist/cjs as
// CommonJS whatever the root package.json says.
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const root = join(__dirname, "..", "dist");
writeFileSync(join(root, "esm", "package.json"), '{ "type": "module" }\n');
writeFileSync(join(root, "cjs", "package.json"), '{ "type": "commonjs" }\n');
