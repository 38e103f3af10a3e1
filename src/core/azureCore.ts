import type * as CoreRestPipeline from "@azure/core-rest-pipeline";

/** `@azure/core-rest-pipeline`'s module. */
export type CoreModule = typeof CoreRestPipeline;

// Core's index loads its whole graph (every policy, its node client, the proxy agents and `debug`),
// which is most of what importing tsdo used to cost. tsdo's import path holds no value from core;
// the first request loads it here, and whatever needs it at send time reads `loadedCore()`.
let core: CoreModule | undefined;
let loading: Promise<CoreModule> | undefined;
const listeners: Array<(core: CoreModule) => void> = [];

/** Loads core once (every call returns the same promise) and tells `onCoreLoaded` listeners. */
export function loadCore(): Promise<CoreModule> {
  loading ??= import("@azure/core-rest-pipeline").then((module) => {
    core = module;
    for (const listener of listeners.splice(0)) listener(module);
    return module;
  });
  return loading;
}

/** Core, for code that runs only once a request is under way (after `loadCore()` resolved). */
export function loadedCore(): CoreModule {
  if (core === undefined) throw new Error("tsdo internal error: @azure/core-rest-pipeline is used before the first request loaded it");
  return core;
}

/** Core if it is loaded already, else `undefined`. */
export function coreIfLoaded(): CoreModule | undefined {
  return core;
}

/** Runs `listener` once core is loaded (at once if it is). */
export function onCoreLoaded(listener: (core: CoreModule) => void): void {
  if (core === undefined) listeners.push(listener);
  else listener(core);
}
