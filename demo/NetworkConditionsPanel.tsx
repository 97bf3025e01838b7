import { useEffect, useId, useState } from 'react';
import {
  getAuthorizationSettings,
  getWorkOrderFaults,
  setAuthorizationSettings,
  setFaults,
  setWorkOrderFaults,
  type FaultSettings,
  type WorkOrderFaultSettings,
} from './demoApi';
import type { DemoStrings } from './demoStrings';

interface Choice {
  label: string;
  value: number;
}

function Select({
  label,
  description,
  value,
  choices,
  onChange,
}: {
  label: string;
  description?: string;
  value: number;
  choices: Choice[];
  onChange: (value: number) => void;
}) {
  const id = useId();
  const descriptionId = useId();
  return (
    <div className="control">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={description ? descriptionId : undefined}
        onChange={(event) => onChange(Number(event.target.value))}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {description && (
        <p className="control-help" id={descriptionId}>
          {description}
        </p>
      )}
    </div>
  );
}

const percent = (value: number) => ({ label: `${Math.round(value * 100)} %`, value });

const MINUTE_MS = 60_000;

/** Drives the OSS emulator's fault knobs, the authorization lifetime and the local Work Order API's faults, so progress, refresh and retries can be watched. */
export function NetworkConditionsPanel({ ossUrl, strings }: { ossUrl: string; strings: DemoStrings }) {
  const [faults, setFaultState] = useState<Omit<FaultSettings, 'forcePolicyExpired' | 'failureStatus'>>({
    bandwidthBytesPerSecond: 0,
    latencyMs: 0,
    failureRate: 0,
    dropRate: 0,
  });
  const [lifetimeSeconds, setLifetimeSeconds] = useState(120);
  const [authRequests, setAuthRequests] = useState<number | null>(null);
  const [forced, setForced] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // null until read, or when the backend calls another Work Order endpoint (no emulator to drive).
  const [workOrderFaults, setWorkOrderFaultState] = useState<WorkOrderFaultSettings | null>(null);

  useEffect(() => {
    const poll = () => {
      getAuthorizationSettings()
        .then((settings) => setAuthRequests(settings.requests ?? null))
        .catch(() => undefined);
      // The one-shot faults count down as calls arrive: show what is still pending.
      getWorkOrderFaults().then(setWorkOrderFaultState, () => setWorkOrderFaultState(null));
    };
    void poll();
    const timer = setInterval(poll, 2_000);
    return () => clearInterval(timer);
  }, []);

  function updateWorkOrder(next: Partial<WorkOrderFaultSettings>) {
    setError(null);
    setWorkOrderFaultState((current) => (current ? { ...current, ...next } : current));
    setWorkOrderFaults(next).then(setWorkOrderFaultState, (caught: Error) => setError(caught.message));
  }

  function update(next: Partial<FaultSettings>) {
    setError(null);
    setFaultState((current) => ({ ...current, ...next }));
    setFaults(ossUrl, { failureStatus: 503, ...next }).catch((caught: Error) => setError(caught.message));
  }

  return (
    <aside className="panel" aria-labelledby="network-title">
      <h2 id="network-title">{strings.network}</h2>
      <p className="muted">{strings.networkHelp}</p>
      <Select
        label={strings.bandwidth}
        description={strings.bandwidthHelp}
        value={faults.bandwidthBytesPerSecond}
        choices={[
          { label: strings.unlimited, value: 0 },
          { label: '1 MB/s', value: 1_048_576 },
          { label: '256 KB/s', value: 262_144 },
          { label: '64 KB/s', value: 65_536 },
        ]}
        onChange={(value) => update({ bandwidthBytesPerSecond: value })}
      />
      <Select
        label={strings.latency}
        value={faults.latencyMs}
        choices={[
          { label: strings.off, value: 0 },
          { label: '200 ms', value: 200 },
          { label: '1 s', value: 1_000 },
        ]}
        onChange={(value) => update({ latencyMs: value })}
      />
      <Select
        label={strings.failureRate}
        value={faults.failureRate}
        choices={[{ label: strings.off, value: 0 }, percent(0.1), percent(0.3), percent(1)]}
        onChange={(value) => update({ failureRate: value })}
      />
      <Select
        label={strings.dropRate}
        value={faults.dropRate}
        choices={[{ label: strings.off, value: 0 }, percent(0.05), percent(0.2)]}
        onChange={(value) => update({ dropRate: value })}
      />
      <Select
        label={strings.lifetime}
        value={lifetimeSeconds}
        choices={[
          { label: '120 s', value: 120 },
          { label: '30 s', value: 30 },
          { label: '5 s', value: 5 },
        ]}
        onChange={(value) => {
          setLifetimeSeconds(value);
          setAuthorizationSettings({ lifetimeSeconds: value }).catch((caught: Error) => setError(caught.message));
        }}
      />
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setForced(true);
          setFaults(ossUrl, { forcePolicyExpired: 1 }).catch((caught: Error) => setError(caught.message));
        }}
      >
        {strings.forceExpired}
      </button>
      <p className="muted" role="status">
        {forced ? `${strings.forced} · ` : ''}
        {authRequests === null ? '' : strings.authRequests(authRequests)}
      </p>
      {workOrderFaults && (
        <section className="panel-section" aria-labelledby="work-order-faults-title">
          <h3 id="work-order-faults-title">{strings.workOrderFaults}</h3>
          <p className="muted">{strings.workOrderFaultsHelp}</p>
          <Select
            label={strings.workOrderLatency}
            value={workOrderFaults.latencyMs}
            choices={[
              { label: strings.off, value: 0 },
              { label: '1 s', value: 1_000 },
              { label: '3 s', value: 3_000 },
            ]}
            onChange={(value) => updateWorkOrder({ latencyMs: value })}
          />
          <Select
            label={strings.workOrderClock}
            value={workOrderFaults.clockOffsetMs}
            choices={[
              { label: strings.clockInSync, value: 0 },
              // docs/work-order-api.md §2: the gateway accepts a Timestamp within 15 minutes of its clock.
              { label: strings.clockAhead(5), value: 5 * MINUTE_MS },
              { label: strings.clockAheadRefused(20), value: 20 * MINUTE_MS },
            ]}
            onChange={(value) => updateWorkOrder({ clockOffsetMs: value })}
          />
          <button type="button" className="secondary" onClick={() => updateWorkOrder({ systemBusy: workOrderFaults.systemBusy + 1 })}>
            {strings.nextSystemBusy}
          </button>
          <button type="button" className="secondary" onClick={() => updateWorkOrder({ illegalAuth: workOrderFaults.illegalAuth + 1 })}>
            {strings.nextIllegalAuth}
          </button>
          <p className="muted" role="status">
            {strings.pendingWorkOrderFaults(workOrderFaults.systemBusy, workOrderFaults.illegalAuth)}
          </p>
        </section>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </aside>
  );
}
