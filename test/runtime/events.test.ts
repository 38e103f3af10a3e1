import assert from "node:assert/strict";
import { parseEventStream, type ServerSentEvent } from "../../src/core/events.js";

async function parse(chunks: string[]): Promise<ServerSentEvent[]> {
  async function* source() {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(source())) events.push(event);
  return events;
}

describe("event streams", () => {
  it("parses JSON data, event names, ids and skips comments; [DONE] ends the stream", async () => {
    assert.deepEqual(await parse([": keep-alive\n", 'id: 7\nevent: delta\ndata: {"a":1}\n\n', "data: plain text\n\n", "data: [DONE]\n\n", 'data: {"after":1}\n\n']), [
      { event: "delta", id: "7", data: { a: 1 } },
      { data: "plain text" },
    ]);
  });

  it("reads many events from one large chunk", async () => {
    const count = 20_000;
    const events = await parse([Array.from({ length: count }, (_, i) => `data: {"i":${i}}\n\n`).join("")]);
    assert.equal(events.length, count);
    assert.deepEqual(events.at(-1), { data: { i: count - 1 } });
  });

  it("reassembles lines and multi-byte characters split across chunks", async () => {
    const text = 'data: {"word":"héllo"}\n\n';
    const bytes = new TextEncoder().encode(text);
    async function* split() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.slice(i, i + 3);
    }
    const events: ServerSentEvent[] = [];
    for await (const event of parseEventStream(split())) events.push(event);
    assert.deepEqual(events, [{ data: { word: "héllo" } }]);
  });

  it("joins multi-line data, accepts CRLF and CR line ends, and flushes a final event without a blank line", async () => {
    assert.deepEqual(await parse(["data: line1\r\ndata: line2\r\n\r\n", "data: a\r\rdata: last"]), [
      { data: "line1\nline2" },
      { data: "a" },
      { data: "last" },
    ]);
  });
});
