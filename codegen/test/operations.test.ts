import assert from "node:assert/strict";
import { tableEntry } from "../emit/operations.js";
import { planModels } from "../modelPlan.js";
import { type OperationModel, readOperations } from "../operations.js";
import { signatures } from "../signatures.js";
import { fixtureSpec } from "./fixture.js";

describe("codegen operations and signatures", () => {
  const spec = fixtureSpec();
  const { operations, notes } = readOperations(spec);
  const plan = planModels(spec, operations);
  const byId = (id: string): OperationModel => operations.find((op) => op.id === id)!;
  const signatureText = (id: string): string[] =>
    signatures(byId(id), plan.operations.get(id)!).map(
      (sig) => `(${sig.args.map((a) => `${a.name}${a.optional ? "?" : ""}: ${a.type}`).join(", ")}): ${sig.returns}`,
    );

  it("reads operations in spec order with groups and methods", () => {
    assert.deepEqual(
      operations.map((op) => `${op.group}.${op.method}`),
      [
        "droplets.list",
        "droplets.create",
        "droplets.destroyWithAssociatedResourcesDangerous",
        "sshKeys.get",
        "droplets.get",
        "invoices.getPdfByUUID",
        "inference.createChatCompletion",
        "inference.uploadBatchFile",
        "databases.updateMajorVersion",
        "monitoring.getAppRestartCountMetrics",
      ],
    );
    assert.deepEqual(notes, []);
  });

  it("emits compact table entries", () => {
    assert.equal(
      tableEntry(byId("droplets_list")),
      '{ id: "droplets_list", method: "GET", path: "/v2/droplets", query: ["page", "tag_name", "type"], paged: "droplets" }',
    );
    assert.equal(
      tableEntry(byId("droplets_destroy_withAssociatedResourcesDangerous")),
      '{ id: "droplets_destroy_withAssociatedResourcesDangerous", method: "DELETE", path: "/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous", headers: ["X-Dangerous"], requiredParams: ["X-Dangerous"], response: "none" }',
    );
    assert.equal(
      tableEntry(byId("inference_upload_batch_file")),
      '{ id: "inference_upload_batch_file", method: "PUT", path: "{upload_url}", body: "binary", bodyRequired: true, response: "none", server: "absolute" }',
    );
    assert.match(tableEntry(byId("inference_create_chat_completion")), /response: "events", server: "inference" \}$/);
    assert.match(tableEntry(byId("invoices_get_pdfByUUID")), /response: "binary" \}$/);
  });

  it("writes pathParams only where they are not the path's placeholders in order", () => {
    const op = byId("droplets_destroy_withAssociatedResourcesDangerous");
    const renamed = { ...op, pathParams: op.pathParams.map((param) => ({ ...param, name: "id" })) };
    assert.match(tableEntry(renamed), /, pathParams: \["id"\], /);
    assert.doesNotMatch(tableEntry(op), /pathParams/);
  });

  it("orders arguments path params → body → params → options", () => {
    assert.deepEqual(signatureText("droplets_list"), [
      "(params?: DropletsListParams, options?: OperationOptions): PagedResult<Droplet, DropletsListResponse>",
    ]);
    assert.deepEqual(signatureText("droplets_create"), [
      "(body: DropletCreate, options?: OperationOptions): APIPromise<DropletsCreateResponse>",
    ]);
    assert.deepEqual(signatureText("droplets_destroy_withAssociatedResourcesDangerous"), [
      "(dropletId: number, params: DropletsDestroyWithAssociatedResourcesDangerousParams, options?: OperationOptions): APIPromise<void>",
    ]);
    assert.deepEqual(signatureText("sshKeys_get"), [
      "(sshKeyIdentifier: string | number, options?: OperationOptions): APIPromise<SshKeysGetResponse>",
    ]);
    assert.deepEqual(signatureText("invoices_get_pdfByUUID"), [
      "(invoiceUuid: string, options?: OperationOptions): APIPromise<Uint8Array>",
    ]);
    assert.deepEqual(signatureText("inference_upload_batch_file"), [
      "(uploadUrl: string, body: Uint8Array, options?: OperationOptions): APIPromise<void>",
    ]);
    assert.deepEqual(signatureText("monitoring_get_appRestartCountMetrics.yml"), [
      "(options?: OperationOptions): APIPromise<Metrics>",
    ]);
  });

  it("overloads streaming operations on the body's stream flag", () => {
    assert.deepEqual(signatureText("inference_create_chat_completion"), [
      "(body: InferenceCreateChatCompletionRequest & { stream: true }, options?: OperationOptions): APIPromise<EventStream<InferenceCreateChatCompletionEvent>>",
      "(body: InferenceCreateChatCompletionRequest & { stream?: false | null }, options?: OperationOptions): APIPromise<InferenceCreateChatCompletionResponse>",
      "(body: InferenceCreateChatCompletionRequest, options?: OperationOptions): APIPromise<InferenceCreateChatCompletionResponse | EventStream<InferenceCreateChatCompletionEvent>>",
    ]);
  });

  it("declares a shared inline response once and aliases it for the other operations", () => {
    const droplets = plan.modules.get("droplets")!.map((d) => d.source);
    assert.ok(droplets.some((source) => source.includes("export type DropletsGetResponse = SshKeysGetResponse;")));
    assert.equal(plan.moduleOf.get("SshKeysGetResponse"), "sshKeys");
    assert.equal(plan.moduleOf.get("Droplet"), "shared");
  });

  it("makes an optional argument before a required one take undefined explicitly", () => {
    const op = byId("droplets_destroy_withAssociatedResourcesDangerous");
    const withOptionalBody: OperationModel = { ...op, body: { kind: "json", required: false, schema: {}, streamFlag: false } };
    const [sig] = signatures(withOptionalBody, { ...plan.operations.get(op.id)!, request: "Body" });
    assert.deepEqual(
      sig!.args.map((a) => `${a.name}${a.optional ? "?" : ""}: ${a.type}`),
      ["dropletId: number", "body: Body | undefined", "params: DropletsDestroyWithAssociatedResourcesDangerousParams", "options?: OperationOptions"],
    );
  });
});
