import { useId } from 'react';
import type { DemoApiVersion } from './demoApi';
import type { DemoStrings } from './demoStrings';

/** The label of each API version: the version and the upload mode it brings. */
export function apiVersionLabel(version: DemoApiVersion, strings: DemoStrings): string {
  return version === '2016-08-30' ? strings.apiPostPolicy : strings.apiPresignedPut;
}

/**
 * "Work Order API: 2016-08-30 (POST policy) | 2021-06-10 (presigned PUT)": a radio group that picks
 * the upload mode of the new ticket form and the API its ticket goes through.
 */
export function WorkOrderApiSetting({
  value,
  versions,
  strings,
  onChange,
}: {
  value: DemoApiVersion;
  versions: readonly DemoApiVersion[];
  strings: DemoStrings;
  onChange: (version: DemoApiVersion) => void;
}) {
  const name = useId();
  const helpId = useId();
  return (
    <aside className="panel" aria-label={strings.workOrderApi}>
      <fieldset className="api-setting" aria-describedby={helpId}>
        <legend>{strings.workOrderApi}</legend>
        {versions.map((version) => (
          <label key={version} className="radio">
            <input type="radio" name={name} value={version} checked={value === version} onChange={() => onChange(version)} />
            {apiVersionLabel(version, strings)}
          </label>
        ))}
        <p className="control-help" id={helpId}>
          {strings.workOrderApiHelp}
        </p>
      </fieldset>
    </aside>
  );
}
