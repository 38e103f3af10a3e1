/** A small synthetic spec that exercises every construct the generator handles. */
import { type OpenApiDocument, Spec } from "../spec.js";

export function fixtureDocument(): OpenApiDocument {
  return {
    paths: {
      "/v2/droplets": {
        get: {
          operationId: "droplets_list",
          summary: "List All Droplets",
          tags: ["Droplets"],
          parameters: [
            { $ref: "#/components/parameters/page" },
            { name: "tag_name", in: "query", schema: { type: "string" } },
            { name: "type", in: "query", schema: { type: "string", enum: ["droplets", "gpus"] } },
          ],
          responses: {
            "200": { $ref: "#/components/responses/all_droplets" },
            "401": { description: "Unauthorized" },
          },
        },
        post: {
          operationId: "droplets_create",
          summary: "Create a New Droplet",
          tags: ["Droplets"],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/droplet_create" } } },
          },
          responses: {
            "202": {
              description: "Accepted",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["droplet"], properties: { droplet: { $ref: "#/components/schemas/droplet" } } },
                },
              },
            },
          },
        },
      },
      "/v2/droplets/{droplet_id}/destroy_with_associated_resources/dangerous": {
        delete: {
          operationId: "droplets_destroy_withAssociatedResourcesDangerous",
          summary: "Destroy a Droplet and All of its Associated Resources (Dangerous)",
          tags: ["Droplets"],
          deprecated: true,
          parameters: [
            { name: "droplet_id", in: "path", required: true, schema: { type: "integer" }, description: "A unique identifier for a Droplet instance." },
            { name: "X-Dangerous", in: "header", required: true, schema: { type: "boolean" } },
          ],
          responses: { "204": { description: "No content" } },
        },
      },
      "/v2/account/keys/{ssh_key_identifier}": {
        get: {
          operationId: "sshKeys_get",
          summary: "Retrieve an Existing SSH Key",
          tags: ["SSH Keys"],
          parameters: [
            {
              name: "ssh_key_identifier",
              in: "path",
              required: true,
              schema: { anyOf: [{ $ref: "#/components/schemas/ssh_key_id" }, { type: "string" }] },
            },
          ],
          responses: { "200": { $ref: "#/components/responses/droplet" } },
        },
      },
      "/v2/droplets/{droplet_id}": {
        get: {
          operationId: "droplets_get",
          summary: "Retrieve an Existing Droplet",
          tags: ["Droplets"],
          parameters: [{ name: "droplet_id", in: "path", required: true, schema: { type: "integer" } }],
          responses: { "200": { $ref: "#/components/responses/droplet" } },
        },
      },
      "/v2/customers/my/invoices/{invoice_uuid}/pdf": {
        get: {
          operationId: "invoices_get_pdfByUUID",
          summary: "Retrieve an Invoice PDF by UUID",
          tags: ["Billing"],
          parameters: [{ name: "invoice_uuid", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "PDF", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } } },
        },
      },
      "/v1/chat/completions": {
        post: {
          operationId: "inference_create_chat_completion",
          summary: "Create a chat completion",
          tags: ["Serverless Inference"],
          servers: [{ url: "https://inference.do-ai.run" }],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: { type: "object", required: ["model"], properties: { model: { type: "string" }, stream: { type: "boolean", nullable: true } } },
              },
            },
          },
          responses: {
            "200": {
              description: "OK",
              content: {
                "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } },
                "text/event-stream": { schema: { type: "object", properties: { delta: { type: "string" } } } },
              },
            },
          },
        },
      },
      "/<upload_url>": {
        put: {
          operationId: "inference_upload_batch_file",
          summary: "Upload a batch file",
          tags: ["Batch Inference"],
          servers: [{ url: "https://" }],
          requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          responses: { "200": { description: "Uploaded" } },
        },
      },
      "/v2/databases/{database_cluster_uuid}/upgrade": {
        put: {
          operationId: "databases_update_major_version",
          summary: "Upgrade Major Version for a Database",
          tags: ["Databases"],
          parameters: [{ name: "database_cluster_uuid", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/version-2" } } } },
          responses: { "204": { description: "No content" } },
        },
      },
      "/v2/monitoring/metrics/apps/restart_count": {
        get: {
          operationId: "monitoring_get_appRestartCountMetrics.yml",
          summary: "Get App Restart Count Metrics",
          tags: ["Monitoring"],
          responses: { "200": { description: "OK", content: { "application/json": { schema: { $ref: "#/components/schemas/metrics" } } } } },
        },
      },
    },
    components: {
      parameters: {
        page: { name: "page", in: "query", required: false, schema: { type: "integer", minimum: 1 }, example: 1 },
      },
      responses: {
        all_droplets: {
          description: "OK",
          content: {
            "application/json": {
              schema: {
                allOf: [
                  { type: "object", properties: { droplets: { type: "array", items: { $ref: "#/components/schemas/droplet" } } } },
                  { $ref: "#/components/schemas/pagination" },
                ],
              },
            },
          },
        },
        droplet: {
          description: "OK",
          content: { "application/json": { schema: { type: "object", properties: { droplet: { $ref: "#/components/schemas/droplet" } } } } },
        },
      },
      schemas: {
        error: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
        version: { type: "string", example: "8" },
        "version-2": { type: "object", properties: { version: { $ref: "#/components/schemas/version" } } },
        ssh_key_id: { type: "integer" },
        droplet: {
          type: "object",
          required: ["id", "name"],
          properties: {
            id: { type: "integer", readOnly: true, example: 3164444 },
            name: { type: "string", example: "example.com" },
            status: { type: "string", enum: ["new", "active", "off"] },
            kernel: { type: "object", nullable: true, properties: { id: { type: "integer" } } },
            tags: { type: "array", items: { type: "string" } },
            labels: { type: "object", additionalProperties: { type: "string" } },
            children: { type: "array", items: { $ref: "#/components/schemas/droplet" } },
            "x-meta": {},
          },
        },
        droplet_create: {
          oneOf: [
            { type: "object", required: ["name"], properties: { name: { type: "string" } } },
            { type: "object", required: ["names"], properties: { names: { type: "array", items: { type: "string" } } } },
          ],
        },
        pagination: { type: "object", properties: { links: { type: "object", additionalProperties: true } } },
        metrics: { type: "object", properties: { data: {} } },
      },
    },
  };
}

export function fixtureSpec(): Spec {
  return new Spec(fixtureDocument());
}
