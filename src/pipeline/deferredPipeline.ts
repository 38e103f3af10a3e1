import type { AddPipelineOptions as AddPolicyOptions, HttpClient, Pipeline, PipelinePhase, PipelinePolicy, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { coreIfLoaded, loadCore, loadedCore, type CoreModule } from "../core/azureCore.js";

interface Step {
  policy: PipelinePolicy;
  options: AddPolicyOptions | undefined;
}

const PHASES: ReadonlySet<PipelinePhase> = new Set(["Serialize", "Deserialize", "Retry", "Sign"]);

/**
 * tsdo's pipeline, built on core's without loading core at construction (src/core/azureCore.ts).
 * Until core is loaded, added and removed policies are kept in a list; the first `sendRequest`
 * loads core, adds them in order to a core pipeline, and from then on every method is that
 * pipeline's, so policies are ordered by core's rules. Only `getOrderedPolicies()` needs core:
 * before the first request it throws.
 */
export class DeferredPipeline implements Pipeline {
  #pipeline: Pipeline | undefined;
  #steps: Step[];

  constructor(steps: Step[] = []) {
    this.#steps = steps;
  }

  addPolicy(policy: PipelinePolicy, options?: AddPolicyOptions): void {
    const pipeline = this.#corePipeline();
    if (pipeline !== undefined) return pipeline.addPolicy(policy, options);
    // Core's checks, made now rather than when the first request replays the list.
    if (options?.phase && options.afterPhase) throw new Error("Policies inside a phase cannot specify afterPhase.");
    if (options?.phase && !PHASES.has(options.phase)) throw new Error(`Invalid phase name: ${options.phase}`);
    if (options?.afterPhase && !PHASES.has(options.afterPhase)) throw new Error(`Invalid afterPhase name: ${options.afterPhase}`);
    this.#steps.push({ policy, options });
  }

  removePolicy(options: { name?: string; phase?: PipelinePhase }): PipelinePolicy[] {
    const pipeline = this.#corePipeline();
    if (pipeline !== undefined) return pipeline.removePolicy(options);
    const removed: PipelinePolicy[] = [];
    this.#steps = this.#steps.filter((step) => {
      const matches = (options.name && step.policy.name === options.name) || (options.phase && step.options?.phase === options.phase);
      if (matches) removed.push(step.policy);
      return !matches;
    });
    return removed;
  }

  async sendRequest(httpClient: HttpClient, request: PipelineRequest): Promise<PipelineResponse> {
    return (this.#corePipeline() ?? this.#build(await loadCore())).sendRequest(httpClient, request);
  }

  getOrderedPolicies(): PipelinePolicy[] {
    const pipeline = this.#corePipeline();
    if (pipeline === undefined) {
      throw new Error("tsdo orders its pipeline when the first request loads @azure/core-rest-pipeline: call getOrderedPolicies() after a request");
    }
    return pipeline.getOrderedPolicies();
  }

  /** The policy of that name, if the pipeline has one; needs no ordering, so works before core is loaded. */
  findPolicy(name: string): PipelinePolicy | undefined {
    const pipeline = this.#corePipeline();
    if (pipeline !== undefined) return pipeline.getOrderedPolicies().find((policy) => policy.name === name);
    return this.#steps.find((step) => step.policy.name === name)?.policy;
  }

  clone(): Pipeline {
    return this.#corePipeline()?.clone() ?? new (this.constructor as typeof DeferredPipeline)([...this.#steps]);
  }

  #corePipeline(): Pipeline | undefined {
    if (this.#pipeline !== undefined) return this.#pipeline;
    const core = coreIfLoaded();
    return core && this.#build(core);
  }

  #build(core: CoreModule): Pipeline {
    if (this.#pipeline === undefined) {
      const pipeline = core.createEmptyPipeline();
      for (const { policy, options } of this.#steps) pipeline.addPolicy(policy, options);
      this.#pipeline = pipeline;
      this.#steps = [];
    }
    return this.#pipeline;
  }
}

/**
 * One of core's policies, made from core on its first request (core is loaded by then: the
 * pipeline loads it before any policy runs), under the name core gives it.
 */
export function corePolicy(name: string, make: (core: CoreModule) => PipelinePolicy): PipelinePolicy {
  let policy: PipelinePolicy | undefined;
  return {
    name,
    sendRequest(request, next) {
      policy ??= make(loadedCore());
      return policy.sendRequest(request, next);
    },
  };
}
