import { ResponseTooLargeError } from "./errors.js";

/** One parsed server-sent event of a `text/event-stream` answer. */
export interface ServerSentEvent<TData = unknown> {
  /** The `event:` field; absent for the default `message` event. */
  event?: string;
  /** The `data:` field, parsed as JSON when it is JSON, otherwise its text. */
  data: TData | string;
  /** The `id:` field, when present. */
  id?: string;
}

/** The result of an operation answered with `text/event-stream`: its events, in order, as they arrive. */
export type EventStream<TData = unknown> = AsyncIterable<ServerSentEvent<TData>>;

/**
 * Parses a `text/event-stream` body as it arrives (the WHATWG event-stream format: `event:`,
 * `data:`, `id:` fields, events separated by a blank line, `:` comments ignored). Each event's data
 * is parsed as JSON when it is JSON. DigitalOcean's inference streams end with a plain `data: [DONE]`,
 * which ends the iteration rather than being yielded. An event longer than `maxEventLength`
 * characters (default 256 Mi) ends it with `ResponseTooLargeError`.
 */
export async function* parseEventStream(
  body: AsyncIterable<Uint8Array | string>,
  maxEventLength: number = DEFAULT_MAX_EVENT_LENGTH,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const parser = new EventParser(maxEventLength);
  let partialLength = 0;
  // The unfinished line's pieces, joined once the line ends: appending each chunk to one string and
  // rescanning it would be quadratic in the line's length, and image streams carry multi-MB lines.
  let partial: string[] = [];
  // The previous chunk ended with "\r": a "\n" opening this one is the rest of that "\r\n".
  let afterCarriage = false;
  for await (const chunk of body) {
    let text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (text === "") continue;
    if (afterCarriage && text.startsWith("\n")) text = text.slice(1);
    afterCarriage = false;
    // Only this chunk is scanned, each character a bounded number of times.
    let start = 0;
    let newline = text.indexOf("\n");
    let carriage = text.indexOf("\r");
    for (;;) {
      if (newline !== -1 && newline < start) newline = text.indexOf("\n", start);
      if (carriage !== -1 && carriage < start) carriage = text.indexOf("\r", start);
      const end = carriage !== -1 && (newline === -1 || carriage < newline) ? carriage : newline;
      if (end === -1) break;
      const piece = text.slice(start, end);
      const line = partial.length === 0 ? piece : partial.join("") + piece;
      partial = [];
      partialLength = 0;
      if (end === carriage && end === text.length - 1) afterCarriage = true;
      start = end === carriage && text[end + 1] === "\n" ? end + 2 : end + 1;
      const event = parser.line(line);
      if (event?.data === DONE) return;
      if (event) yield event;
    }
    if (start < text.length) {
      partial.push(start === 0 ? text : text.slice(start));
      partialLength += text.length - start;
      // A line that never ends would otherwise grow until the process runs out of memory.
      if (partialLength > maxEventLength) throw tooLong(maxEventLength);
    }
  }
  let rest = partial.join("") + decoder.decode();
  if (afterCarriage && rest.startsWith("\n")) rest = rest.slice(1);
  // The stream may end without a final blank line; whatever is left still forms events.
  for (const line of [...rest.split(/\r\n|\r|\n/), ""]) {
    const event = parser.line(line);
    if (event?.data === DONE) return;
    if (event) yield event;
  }
}

/** The sentinel that ends DigitalOcean's (OpenAI-compatible) inference streams. */
const DONE = "[DONE]";

/** Longest event (its lines together, in characters) a stream may send: far above a multi-MB image. */
const DEFAULT_MAX_EVENT_LENGTH = 256 * 1024 * 1024;

function tooLong(maxEventLength: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`An event of the stream is longer than ${maxEventLength} characters`, maxEventLength);
}

/** Accumulates fields line by line; a blank line completes the event. */
class EventParser {
  #pending: PendingEvent = emptyEvent();
  #length = 0;
  readonly #maxLength: number;

  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  line(line: string): ServerSentEvent | undefined {
    if (line !== "") {
      this.#length += line.length;
      if (this.#length > this.#maxLength) throw tooLong(this.#maxLength);
      readField(this.#pending, line);
      return undefined;
    }
    const event = finishEvent(this.#pending);
    this.#pending = emptyEvent();
    this.#length = 0;
    return event;
  }
}

interface PendingEvent {
  event: string | undefined;
  data: string[];
  id: string | undefined;
}

function emptyEvent(): PendingEvent {
  return { event: undefined, data: [], id: undefined };
}

function readField(event: PendingEvent, line: string): void {
  if (line.startsWith(":")) return;
  const colon = line.indexOf(":");
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? "" : line.slice(colon + 1);
  if (value.startsWith(" ")) value = value.slice(1);
  if (field === "data") event.data.push(value);
  else if (field === "event") event.event = value;
  else if (field === "id") event.id = value;
}

function finishEvent(pending: PendingEvent): ServerSentEvent | undefined {
  if (pending.data.length === 0 && pending.event === undefined) return undefined;
  const text = pending.data.join("\n");
  const event: ServerSentEvent = { data: parseData(text) };
  if (pending.event !== undefined) event.event = pending.event;
  if (pending.id !== undefined) event.id = pending.id;
  return event;
}

function parseData(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
