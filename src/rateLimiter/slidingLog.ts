/**
 * The times units were spent, oldest first, as a growable queue: trimming expired entries and
 * recording new ones are amortized O(1), so the 5,000-entry hourly log costs the same as an empty
 * one. Times are kept sorted, which is what lets `expiryOf` and `countUpTo` answer directly.
 */
export class SlidingLog {
  #times: number[] = [];
  #head = 0;

  /** Units still counting at `now` (spent after `now - windowInMs`); drops the expired ones. */
  count(now: number, windowInMs: number): number {
    const times = this.#times;
    const cutoff = now - windowInMs;
    let head = this.#head;
    while (head < times.length && times[head]! <= cutoff) head++;
    this.#head = head;
    // Compact once the dead prefix outweighs the live part, so memory follows the window's size.
    if (head > 64 && head * 2 > times.length) {
      times.splice(0, head);
      this.#head = 0;
    }
    return times.length - this.#head;
  }

  /** Records `units` units at `time` (not before the newest entry: use `merge` for the past). */
  add(time: number, units: number): void {
    for (let i = 0; i < units; i++) this.#times.push(time);
  }

  /** Records units spent in the past (phantom entries from a server reading): `times` sorted, merged in order. */
  merge(times: readonly number[]): void {
    const own = this.#times;
    const merged: number[] = [];
    let i = this.#head;
    let j = 0;
    while (i < own.length || j < times.length) {
      merged.push(j >= times.length || (i < own.length && own[i]! <= times[j]!) ? own[i++]! : times[j++]!);
    }
    this.#times = merged;
    this.#head = 0;
  }

  /** Moves up to `units` entries spent at `from` to `to` (a response arrived: the server counted them by then). */
  restamp(from: number, to: number, units: number): void {
    const moved = this.remove(from, units);
    if (moved === 0) return;
    // Not `splice(at, 0, ...entries)`: each entry would be an argument, and ~125,000 overflow the stack.
    const times = this.#times;
    const at = this.#head + this.countUpTo(to);
    const length = times.length;
    for (let i = 0; i < moved; i++) times.push(to);
    times.copyWithin(at + moved, at, length);
    times.fill(to, at, at + moved);
  }

  /** Forgets up to `units` entries spent at `time` (a slot whose request was never sent); returns how many. */
  remove(time: number, units: number): number {
    const end = this.#head + this.countUpTo(time);
    let start = end;
    while (start > this.#head && end - start < units && this.#times[start - 1] === time) start--;
    this.#times.splice(start, end - start);
    return end - start;
  }

  /** Forgets the `units` oldest entries (the server counts fewer than we do). */
  dropOldest(units: number): void {
    this.#head = Math.min(this.#times.length, this.#head + units);
  }

  /** When the `index`-th live entry (0 = oldest) was spent. */
  timeAt(index: number): number {
    return this.#times[this.#head + index]!;
  }

  /** Live entries spent at or before `time` (binary search). */
  countUpTo(time: number): number {
    return this.#search(time, true);
  }

  /** Live entries spent strictly before `time`. */
  countBefore(time: number): number {
    return this.#search(time, false);
  }

  #search(time: number, inclusive: boolean): number {
    const times = this.#times;
    let low = this.#head;
    let high = times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (times[middle]! < time || (inclusive && times[middle] === time)) low = middle + 1;
      else high = middle;
    }
    return low - this.#head;
  }
}

/**
 * When a unit could be spent, given a log of `count` live entries whose `index`-th expires at
 * `expiryAt(index)`, a limit, and `position` units that must go first (0 = this is the next unit).
 * Future units expire one window after they are spent, so beyond the current entries the answer
 * repeats every `windowInMs`. `now` when there is room at once.
 */
export function slotTime(now: number, count: number, limit: number, windowInMs: number, position: number, expiryAt: (index: number) => number): number {
  // Each window that passes frees `limit` more units: skip the whole windows our position is
  // beyond at once, so the answer costs the same for a unit 10 or 10 million places back.
  const windows = Math.max(0, Math.ceil((position + 1 - limit) / limit));
  const later = windows * windowInMs;
  const needed = count + position - windows * limit + 1 - limit;
  if (needed <= 0) return now + later;
  // Otherwise our slot frees when the log's `needed`-th oldest entry expires, `windows` windows on.
  return Math.max(now, expiryAt(needed - 1)) + later;
}
