import { useEffect, useState } from 'react';
import type { UploaderLocale } from '../src';
import { createTicket, fetchConfig, replyToTicket, type DemoApiVersion, type DemoConfig, type Ticket } from './demoApi';
import { demoStrings } from './demoStrings';
import { NetworkConditionsPanel } from './NetworkConditionsPanel';
import { TicketComposer } from './TicketComposer';
import { TicketView } from './TicketView';
import { WorkOrderApiSetting } from './WorkOrderApiSetting';

const API_VERSIONS: readonly DemoApiVersion[] = ['2016-08-30', '2021-06-10'];

export function App() {
  const [locale, setLocale] = useState<UploaderLocale>('en');
  const [config, setConfig] = useState<DemoConfig | null>(null);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  // New tickets go through this version; a reply goes through its ticket's (the backend knows which).
  const [apiVersion, setApiVersion] = useState<DemoApiVersion>('2016-08-30');
  const strings = demoStrings[locale];

  useEffect(() => {
    fetchConfig().then(setConfig, () => setConfig(null));
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <div className="page">
      <header className="topbar">
        <div>
          <p className="brand">{strings.product}</p>
          <p className="muted tagline">{strings.tagline}</p>
        </div>
        <div className="language" role="group" aria-label={strings.language}>
          {(['en', 'zh-CN'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className="chip"
              aria-pressed={locale === option}
              onClick={() => setLocale(option)}
              lang={option}
            >
              {option === 'en' ? 'English' : '简体中文'}
            </button>
          ))}
        </div>
      </header>
      <div className="layout">
        <main className="card">
          {ticket ? (
            <>
              <TicketView ticket={ticket} strings={strings} locale={locale} />
              <h2 className="section-title">{strings.reply}</h2>
              <TicketComposer
                mode="reply"
                apiVersion={ticket.apiVersion}
                locale={locale}
                strings={strings}
                onSubmit={async ({ content, attachments }) => {
                  const reply = await replyToTicket(ticket.id, { content, attachments });
                  setTicket((current) => (current ? { ...current, replies: [...(current.replies ?? []), reply] } : current));
                }}
              />
              <button type="button" className="link" onClick={() => setTicket(null)}>
                {strings.newTicketAgain}
              </button>
            </>
          ) : (
            <>
              <h1>{strings.newTicket}</h1>
              <TicketComposer
                mode="ticket"
                apiVersion={apiVersion}
                locale={locale}
                strings={strings}
                onSubmit={async (input) => {
                  setTicket(await createTicket({ ...input, apiVersion }));
                }}
              />
            </>
          )}
        </main>
        <div className="sidebar">
          <WorkOrderApiSetting
            value={apiVersion}
            versions={config?.apiVersions ?? API_VERSIONS}
            strings={strings}
            onChange={setApiVersion}
          />
          {config && <NetworkConditionsPanel ossUrl={config.ossUrl} strings={strings} />}
        </div>
      </div>
    </div>
  );
}
