import { isoNow } from "./clock.js";
import type { FakeState } from "./state.js";
import type { Action } from "./types.js";
import type { FakeTimers } from "./virtualClock.js";

/** What an action is about and what it does once it is done. */
export interface ActionStart {
  type: string;
  resourceType: string;
  resourceId: number | null;
  regionSlug: string;
  /**
   * The change the action stands for, applied when it completes (a power-off turns the droplet
   * off only then, as on DigitalOcean). Throwing marks the action `errored` instead.
   */
  complete?: () => void;
}

/**
 * Runs actions the way DigitalOcean reports them: `in-progress` when created, `completed` after
 * a delay. Every timer is tracked so `cancelAll()` (on reset and close) leaves nothing behind
 * that would keep the process alive or change state later.
 */
export class ActionScheduler {
  private readonly cancels = new Set<() => void>();

  constructor(
    private readonly state: FakeState,
    private readonly delayInMs: number,
    private readonly timers: FakeTimers,
  ) {}

  start(start: ActionStart): Action {
    const region = this.state.region(start.regionSlug) ?? this.state.regions[0]!;
    const action: Action = {
      id: this.state.nextId(),
      status: "in-progress",
      type: start.type,
      started_at: isoNow(),
      completed_at: null,
      resource_id: start.resourceId,
      resource_type: start.resourceType,
      region,
      region_slug: region.slug,
    };
    this.state.actions.set(action.id, action);
    const cancel = this.timers.schedule(this.delayInMs, () => {
      this.cancels.delete(cancel);
      this.finish(action, start.complete);
    });
    this.cancels.add(cancel);
    return action;
  }

  /** True while `resourceType` `resourceId` has an action in progress (DigitalOcean refuses a second one). */
  isBusy(resourceType: string, resourceId: number): boolean {
    return this.state.actionsOn(resourceType, resourceId).some((action) => action.status === "in-progress");
  }

  cancelAll(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
  }

  private finish(action: Action, complete: (() => void) | undefined): void {
    // The state may have been reset (and this action forgotten) since it started.
    if (this.state.actions.get(action.id) !== action) return;
    try {
      complete?.();
      action.status = "completed";
    } catch {
      action.status = "errored";
    }
    action.completed_at = isoNow();
  }
}
