import { createHttpHeaders, createPipelineRequest, isRestError, RestError } from "@azure/core-rest-pipeline";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  AbortError,
  ActionFailedError,
  ConnectionError,
  InsecureConnectionError,
  RateLimitError,
  TimeoutError,
  TsdoError,
} from "../../../src/core/errors.js";
import { neutralize, redactUrl } from "../../../src/core/redact.js";

describe("tsdo's errors", () => {
  it("share one root, TsdoError, which is a RestError with RestError's statics", () => {
    const errors = [new AbortError(), new ActionFailedError({ id: 1, status: "errored", type: "create" }), new InsecureConnectionError("no"), new TimeoutError("slow", 5), new ConnectionError("down", "ECONNRESET")];
    for (const error of errors) {
      assert.ok(error instanceof TsdoError && error instanceof RestError && error instanceof Error, error.name);
      assert.ok(isRestError(error));
      assert.equal(error.name, error.constructor.name);
      assert.match(error.stack ?? "", new RegExp(`^${error.name}: `));
    }
    assert.equal(TsdoError.REQUEST_SEND_ERROR, RestError.REQUEST_SEND_ERROR);
    assert.equal(new AbortError().name, "AbortError");
  });

  it("print as class, message and stack, then their fields (none when they have none)", () => {
    const abort = new AbortError("stop");
    assert.equal(inspect(abort), abort.stack);
    assert.match(inspect(new AbortError("stop")), /^AbortError: stop\n {4}at /);
    assert.doesNotMatch(inspect(new AbortError("stop")), /\{/);
    const timeout = inspect(new TimeoutError("slow", 5));
    assert.match(timeout, /code: 'TIMEOUT'/);
    assert.match(timeout, /timeoutInMs: 5/);
    const failed = inspect(new ActionFailedError({ id: 1, status: "errored" }));
    assert.match(failed, /^ActionFailedError: Action 1 \(unknown type\) ended as errored/);
    assert.match(failed, /action: \{ id: 1, status: 'errored' \}/);
  });

  it("keep a redacted request even when built from a response alone", () => {
    const request = createPipelineRequest({ url: "https://u:p@api.example.com/v2/x?token=abc&page=2", method: "GET", headers: createHttpHeaders({ authorization: "Bearer t" }) });
    const response = { status: 429, headers: createHttpHeaders({ "retry-after": "1" }), request, bodyAsText: "{}" };
    const error = new RateLimitError("429", 429, {}, { response });
    assert.equal(error.request, undefined);
    assert.equal(error.response?.request.url, "https://api.example.com/v2/x?token=REDACTED&page=2");
    assert.equal(error.response?.request.headers.get("authorization"), undefined);
    assert.equal(error.response?.bodyAsText, "{}");
    assert.equal(error.retryAfterInMs, 1000);
  });

  it("believe a 429's wait for at most an hour (DigitalOcean's longest window): retryAt stays a valid date", () => {
    const request = createPipelineRequest({ url: "https://api.example.com/v2/x", method: "GET" });
    const inFiveYears = new Date(Date.now() + 5 * 365 * 86_400_000).toUTCString();
    const hints: Record<string, string>[] = [{ "retry-after": "1e9" }, { "retry-after": "1e300" }, { "retry-after": inFiveYears }, { "ratelimit-reset": "1e15" }];
    for (const headers of hints) {
      const error = new RateLimitError("429", 429, {}, { response: { status: 429, headers: createHttpHeaders(headers), request, bodyAsText: "{}" } });
      assert.equal(error.retryAfterInMs, 3_600_000, JSON.stringify(headers));
      assert.ok(!Number.isNaN(error.retryAt?.getTime()), `retryAt for ${JSON.stringify(headers)}`);
    }
  });

  it("neutralize text from elsewhere: control characters out, cut without splitting a surrogate pair", () => {
    assert.equal(neutralize("a\r\nb\u001b[1mc\u202ed", 100), "a  b [1mc d");
    assert.equal(neutralize("ab😀cd", 3), "ab…");
    assert.equal(neutralize("abc", 3), "abc");
  });

  it("redact URLs: userinfo and credential-like query values; an unparsable URL keeps only its path", () => {
    assert.equal(redactUrl("https://user:pw@x.test/a?X-Amz-Signature=s&sig=1&n=2"), "https://x.test/a?X-Amz-Signature=REDACTED&sig=REDACTED&n=2");
    assert.equal(redactUrl("/v2/x?token=abc#frag"), "/v2/x");
  });
});
