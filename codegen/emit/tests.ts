/**
 * `test/operations/<group>.test.ts`: one nock-backed test per operation that checks the wire
 * request (method, encoded path, query, headers, JSON body) and the parsed result. Sample values
 * are computed here and embedded as literals, so the tests never read the spec.
 */
import { GENERATED_HEADER, jsLiteral, stringLiteral } from "../format.js";
import type { ModelPlan, OperationTypes } from "../modelPlan.js";
import type { OperationModel, ParamModel } from "../operations.js";
import { sampleValue } from "../samples.js";
import { isRecord } from "../schemaCheck.js";
import type { Spec } from "../spec.js";
import { groupOperations } from "./operations.js";

export const TESTS_DIR = "test/operations";

const API = "https://api.digitalocean.com";
const INFERENCE = "https://inference.do-ai.run";
const AGENT = "https://agent.example.test";
/** The presigned URL handed to the absolute-URL operation; its query must survive untouched. */
const UPLOAD = { origin: "https://uploads.example.test", path: "/batches/input.jsonl", query: { "X-Amz-Signature": "abc/def" } };

const TEXT_SAMPLES: Record<string, string> = {
  "text/csv": "product,amount\nDroplets,12.00\n",
  "application/yaml": "apiVersion: v1\nkind: Config\n",
};
/** The start of a PDF, including bytes that are not valid UTF-8 (proves the body is not decoded as text). */
const BINARY_SAMPLE = [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a];
/** A JSONL line as bytes, for the binary request body. */
const UPLOAD_BODY = '{"custom_id":"req-1"}\n';

export function emitTests(spec: Spec, operations: readonly OperationModel[], plan: ModelPlan): Map<string, string> {
  const files = new Map<string, string>();
  for (const [group, ops] of groupOperations(operations)) {
    const imports = new Set<string>();
    const tests = ops.flatMap((op) => operationTests(spec, op, plan.operations.get(op.id)!, imports));
    files.set(`${TESTS_DIR}/${group}.test.ts`, testFile(group, tests, imports));
  }
  return files;
}

function testFile(group: string, tests: readonly string[], types: ReadonlySet<string>): string {
  const typeImport = types.size === 0 ? "" : `import type { ${[...types].sort().join(", ")} } from "../../src/index.js";\n`;
  return `${GENERATED_HEADER}import assert from "node:assert/strict";
import nock from "nock";
import { DigitalOceanClient } from "../../src/index.js";
import { useNock } from "../support/nock.js";
${typeImport}
describe("client.${group} (generated)", () => {
  let client: DigitalOceanClient;
  useNock();
  before(() => {
    client = new DigitalOceanClient("test-token", {
      endpoint: "${API}",
      agentEndpoint: "${AGENT}",
      retryOptions: { maxRetries: 0 },
      // Every group's tests share one token in one process: paced, they would wait out the minute window.
      rateLimitOptions: { enabled: false },
    });
  });

${tests.join("\n")}});
`;
}

/** The arguments and expectations of one call, shared by the test variants of an operation. */
interface CallSample {
  readonly path: string;
  readonly args: string[];
  readonly query?: Record<string, string | string[]>;
  readonly headers: [string, string][];
}

/** A JSON body sample and the type it must satisfy. */
interface BodySample {
  readonly value: unknown;
  readonly type?: string;
}

function operationTests(spec: Spec, op: OperationModel, types: OperationTypes, imports: Set<string>): string[] {
  const call = callSample(spec, op);
  const value = op.body?.kind === "json" ? sampleValue(spec, op.body.schema) : undefined;
  const type = op.body?.kind === "json" ? types.request : undefined;
  if (type !== undefined) imports.add(type);
  if (op.response.kind === "events") {
    if (op.body?.streamFlag === true && isRecord(value)) {
      return [
        jsonTest(spec, op, call, { value: { ...value, stream: false }, type: `${type} & { stream: false }` }, "answers JSON"),
        eventsTest(spec, op, call, { value: { ...value, stream: true }, type: `${type} & { stream: true }` }),
      ];
    }
    return [jsonTest(spec, op, call, { value, ...(type !== undefined && { type }) }, "answers JSON")];
  }
  return [jsonTest(spec, op, call, { value, ...(type !== undefined && { type }) }, undefined)];
}

function callSample(spec: Spec, op: OperationModel): CallSample {
  const args: string[] = [];
  let path = op.path;
  if (op.server === "absolute") {
    args.push(stringLiteral(`${UPLOAD.origin}${UPLOAD.path}?${new URLSearchParams(UPLOAD.query).toString()}`));
    path = UPLOAD.path;
  } else {
    op.pathParams.forEach((param, index) => {
      const value: string | number = param.valueType === "number" ? 101 + index : `${param.name} ${index + 1}/x`;
      args.push(jsLiteral(value));
      path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
    });
  }
  if (op.body !== undefined) args.push("BODY");
  const params: Record<string, unknown> = {};
  const query: Record<string, string | string[]> = {};
  const headers: [string, string][] = [];
  for (const param of op.query) {
    const value = paramSample(spec, param);
    params[param.name] = value;
    query[param.name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  for (const param of op.headers) {
    const value = paramSample(spec, param);
    params[param.name] = value;
    headers.push([param.name, String(value)]);
  }
  if (op.query.length + op.headers.length > 0) args.push(jsLiteral(params, "    "));
  return { path, args, headers, ...(op.server === "absolute" ? { query: UPLOAD.query } : op.query.length > 0 && { query }) };
}

/** A parameter's sample; arrays get two values so the test sees the key repeated. */
function paramSample(spec: Spec, param: ParamModel): unknown {
  const target = spec.deref(param.schema);
  if (target.type === "array") {
    const items = spec.deref(target.items ?? {});
    const values = items.enum?.slice(0, 2) ?? [sampleValue(spec, items), sampleValue(spec, items)];
    return values.length === 1 ? [values[0], values[0]] : values;
  }
  if (param.example !== undefined && typeof param.example !== "object") return param.example;
  return sampleValue(spec, param.schema);
}

function origin(op: OperationModel): string {
  switch (op.server) {
    case "inference":
      return INFERENCE;
    case "agent":
      return AGENT;
    case "absolute":
      return UPLOAD.origin;
    default:
      return API;
  }
}

/** The nock interceptor for the call: method, exact path, body, query and headers. */
function interceptor(op: OperationModel, call: CallSample, bodyExpectation: string | undefined): string {
  // A presigned URL must not receive the client's DigitalOcean token.
  const scopeOptions = op.server === "absolute" ? `, { badheaders: ["authorization"] }` : "";
  let text = `nock("${origin(op)}"${scopeOptions})\n      .${op.httpMethod.toLowerCase()}(${stringLiteral(call.path)}${bodyExpectation === undefined ? "" : `, ${bodyExpectation}`})`;
  if (call.query !== undefined) text += `\n      .query(${jsLiteral(call.query, "      ")})`;
  for (const [name, value] of call.headers) text += `\n      .matchHeader(${stringLiteral(name)}, ${stringLiteral(value)})`;
  return text;
}

/** The `BODY` constant; `satisfies` keeps enum literals typed and checks the sample against the generated type. */
function bodySetup(op: OperationModel, body: unknown, type: string | undefined): { declaration: string; expectation: string | undefined } {
  if (op.body === undefined) return { declaration: "", expectation: undefined };
  if (op.body.kind === "binary") {
    return {
      declaration: `    const BODY = new TextEncoder().encode(${stringLiteral(UPLOAD_BODY)});\n`,
      expectation: "Buffer.from(BODY)",
    };
  }
  const check = type === undefined ? "" : ` satisfies ${type}`;
  return { declaration: `    const BODY = ${jsLiteral(body, "    ")}${check};\n`, expectation: "BODY" };
}

function callText(op: OperationModel, call: CallSample): string {
  return `client.${op.group}.${op.method}(${call.args.join(", ")})`;
}

function jsonTest(spec: Spec, op: OperationModel, call: CallSample, body: BodySample, variant: string | undefined): string {
  const { declaration, expectation } = bodySetup(op, body.value, body.type);
  const scope = interceptor(op, call, expectation);
  const title = `${op.method}: ${op.httpMethod} ${op.path}${variant === undefined ? "" : ` (${variant})`}`;
  const status = op.response.status;
  const lines: string[] = [];
  switch (op.response.kind) {
    case "json":
    case "events": {
      const reply = op.response.schema === undefined ? {} : sampleValue(spec, op.response.schema, "response");
      lines.push(`    const REPLY = ${jsLiteral(reply, "    ")};`);
      lines.push(`    const scope = ${scope}\n      .reply(${status}, REPLY, { "Content-Type": "application/json" });`);
      if (op.paged !== undefined) {
        lines.push(`    const result = ${callText(op, call)};`);
        lines.push(`    assert.ok(Symbol.asyncIterator in result);`);
        lines.push(`    assert.deepEqual(await result, REPLY);`);
      } else {
        lines.push(`    assert.deepEqual(await ${callText(op, call)}, REPLY);`);
      }
      break;
    }
    case "none":
      lines.push(`    const scope = ${scope}\n      .reply(${status});`);
      lines.push(`    assert.equal(await ${callText(op, call)}, undefined);`);
      break;
    case "text": {
      const text = TEXT_SAMPLES[op.response.contentType ?? ""] ?? "sample text\n";
      lines.push(`    const REPLY = ${stringLiteral(text)};`);
      lines.push(`    const scope = ${scope}\n      .reply(${status}, REPLY, { "Content-Type": ${stringLiteral(op.response.contentType ?? "text/plain")} });`);
      lines.push(`    assert.equal(await ${callText(op, call)}, REPLY);`);
      break;
    }
    case "binary":
      lines.push(`    const BYTES = [${BINARY_SAMPLE.join(", ")}];`);
      lines.push(`    const scope = ${scope}\n      .reply(${status}, Buffer.from(BYTES), { "Content-Type": ${stringLiteral(op.response.contentType ?? "application/octet-stream")} });`);
      lines.push(`    const result = await ${callText(op, call)};`);
      lines.push(`    assert.ok(result instanceof Uint8Array);`);
      lines.push(`    assert.deepEqual([...result], BYTES);`);
      break;
  }
  lines.push(`    assert.ok(scope.isDone());`);
  return `  it(${stringLiteral(title)}, async () => {\n${declaration}${lines.join("\n")}\n  });\n`;
}

function eventsTest(spec: Spec, op: OperationModel, call: CallSample, body: BodySample): string {
  const { declaration, expectation } = bodySetup(op, body.value, body.type);
  const event = op.response.eventSchema === undefined ? {} : sampleValue(spec, op.response.eventSchema, "response");
  const title = `${op.method}: ${op.httpMethod} ${op.path} (streams events)`;
  return `  it(${stringLiteral(title)}, async () => {
${declaration}    const EVENT = ${jsLiteral(event, "    ")};
    const scope = ${interceptor(op, call, expectation)}
      .reply(${op.response.status}, \`data: \${JSON.stringify(EVENT)}\\n\\ndata: [DONE]\\n\\n\`, { "Content-Type": "text/event-stream" });
    const data: unknown[] = [];
    for await (const event of await ${callText(op, call)}) data.push(event.data);
    assert.deepEqual(data, [EVENT]); // [DONE] ends the stream
    assert.ok(scope.isDone());
  });
`;
}
