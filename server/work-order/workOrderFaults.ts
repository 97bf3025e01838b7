/** Fault knobs of the local Work Order API; all off by default. */
export interface WorkOrderFaults {
  /** Every answer (gateway errors included) waits this long first: a slow service. */
  latencyMs: number;
  /** The next N calls that pass the gateway answer `-153 SYSTEM_BUSY` (docs/work-order-api.md §1). */
  systemBusy: number;
  /** The next N calls that pass the gateway answer `-121 ILLEGAL_AUTH` (docs/work-order-api.md §1). */
  illegalAuth: number;
  /** Added to the emulator's clock: the Timestamp check and the `Date` header follow it. */
  clockOffsetMs: number;
}

export type WorkOrderFaultsPatch = Partial<WorkOrderFaults>;

export type WorkOrderFaultsPatchResult = { ok: true; value: WorkOrderFaultsPatch } | { ok: false; error: string };

export const DEFAULT_WORK_ORDER_FAULTS: Readonly<WorkOrderFaults> = Object.freeze({
  latencyMs: 0,
  systemBusy: 0,
  illegalAuth: 0,
  clockOffsetMs: 0,
});

const FIELD_RULES: Record<keyof WorkOrderFaults, { rule: (value: number) => boolean; description: string }> = {
  latencyMs: { rule: (v) => v >= 0, description: 'a number >= 0' },
  systemBusy: { rule: (v) => Number.isInteger(v) && v >= 0, description: 'an integer >= 0' },
  illegalAuth: { rule: (v) => Number.isInteger(v) && v >= 0, description: 'an integer >= 0' },
  clockOffsetMs: { rule: () => true, description: 'a number' },
};

function isFaultField(name: string): name is keyof WorkOrderFaults {
  return Object.hasOwn(FIELD_RULES, name);
}

/** Validates a fault update (what a control API receives as JSON). */
export function parseWorkOrderFaultsPatch(body: unknown): WorkOrderFaultsPatchResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'The body must be a JSON object.' };
  }
  const patch: WorkOrderFaultsPatch = {};
  for (const [name, value] of Object.entries(body)) {
    if (!isFaultField(name)) return { ok: false, error: `Unknown fault "${name}".` };
    const { rule, description } = FIELD_RULES[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule(value)) {
      return { ok: false, error: `"${name}" must be ${description}.` };
    }
    patch[name] = value;
  }
  return { ok: true, value: patch };
}
