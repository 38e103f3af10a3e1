import { unprocessable } from "../errors.js";
import { paginate } from "../pagination.js";
import { ok, type StatefulRoute } from "../route.js";
import type { FakeState } from "../state.js";
import type { BackupPolicy, Droplet } from "../types.js";
import { BodyFields } from "../validation.js";
import { requireDroplet } from "./droplets.js";

const weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
const windowStarts = [0, 4, 8, 12, 16, 20] as const;
const windowLengthHours = 4;
const retentionDays: Readonly<Record<BackupPolicy["plan"], number>> = { daily: 7, weekly: 28 };
/** What DigitalOcean applies when backups are enabled without a policy. */
const defaultPolicy: BackupPolicy = { plan: "weekly", weekday: "SUN", hour: 0 };

/** Reads an optional `backup_policy` from a create request or an `enable_backups` action. */
export function readBackupPolicy(fields: BodyFields): BackupPolicy {
  if (!fields.has("backup_policy")) return { ...defaultPolicy };
  const policy = BodyFields.from(fields.raw("backup_policy"));
  const plan = policy.optionalOneOf("plan", ["daily", "weekly"]) ?? "weekly";
  const hour = policy.optionalInteger("hour") ?? 0;
  if (!(windowStarts as readonly number[]).includes(hour)) throw unprocessable(`backup_policy.hour must be one of ${windowStarts.join(", ")}.`);
  const weekday = policy.optionalOneOf("weekday", weekdays);
  if (plan === "weekly") return { plan, weekday: weekday ?? "SUN", hour: hour as BackupPolicy["hour"] };
  return { plan, hour: hour as BackupPolicy["hour"] };
}

function policyRecord(state: FakeState, droplet: Droplet): unknown {
  const policy = state.backupPolicies.get(droplet.id);
  return {
    droplet_id: droplet.id,
    backup_enabled: policy !== undefined,
    ...(policy ? { backup_policy: { ...policy, window_length_hours: windowLengthHours, retention_period_days: retentionDays[policy.plan] } } : {}),
    next_backup_window: droplet.next_backup_window,
  };
}

export const backupPolicyRoutes: StatefulRoute[] = [
  {
    operationId: "droplets_get_backup_policy",
    handle: (request, { state }) => ok({ policy: policyRecord(state, requireDroplet(state, request)) }),
  },
  {
    operationId: "droplets_list_backup_policies",
    handle: (request, { state }) =>
      paginate(request, "policies", [...state.droplets.values()], (droplets) =>
        Object.fromEntries(droplets.map((droplet) => [String(droplet.id), policyRecord(state, droplet)])),
      ),
  },
  {
    operationId: "droplets_list_supported_backup_policies",
    handle: () =>
      ok({
        supported_policies: (["weekly", "daily"] as const).map((plan) => ({
          name: plan,
          possible_window_starts: [...windowStarts],
          window_length_hours: windowLengthHours,
          retention_period_days: retentionDays[plan],
          possible_days: plan === "weekly" ? [...weekdays] : [],
        })),
      }),
  },
];
