// Streaming a chat completion from DigitalOcean's serverless inference: with `stream: true` the call
// resolves to the events as they arrive (the final `[DONE]` ends the iteration).
import type { DigitalOceanClient } from "../src/index.js";

export async function streamReply(client: DigitalOceanClient, prompt: string, write: (text: string) => void): Promise<number> {
  const stream = await client.inference.createChatCompletion({
    model: "llama3.3-70b-instruct",
    messages: [{ role: "user", content: prompt }],
    stream: true,
  });
  let chunks = 0;
  for await (const { data } of stream) {
    if (typeof data === "string") continue; // a non-JSON event, which DigitalOcean's streams do not send
    chunks += 1;
    write(data.choices[0]?.delta.content ?? "");
  }
  return chunks;
}
