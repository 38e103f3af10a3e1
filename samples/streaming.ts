// Streaming a chat completion from DigitalOcean's serverless inference: with `stream: true` the call
// resolves to the events as they arrive (the final `[DONE]` ends the iteration).
import { DigitalOceanClient } from "../src/index.js";
import { runSample } from "./run.js";

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

runSample(module, async ({ client, live, log }) => {
  // Inference takes a model access key of its own, never the API token.
  const inferenceKey = process.env.MODEL_ACCESS_KEY;
  if (live && !inferenceKey) {
    log("set MODEL_ACCESS_KEY (a serverless inference key) to stream from the real API");
    return;
  }
  const streamingClient = live ? new DigitalOceanClient(undefined, { inferenceKey }) : client;
  let text = "";
  const chunks = await streamReply(streamingClient, "Say hello in five words.", (part) => (text += part));
  log(`${chunks} chunks: ${text}`);
});
