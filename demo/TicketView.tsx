import { formatFileSize, type UploaderLocale } from '../src';
import type { Ticket, TicketAttachment } from './demoApi';
import type { DemoStrings } from './demoStrings';

function AttachmentLinks({
  attachments,
  strings,
  locale,
}: {
  attachments: TicketAttachment[];
  strings: DemoStrings;
  locale: UploaderLocale;
}) {
  if (attachments.length === 0) return <p className="muted">{strings.noAttachments}</p>;
  return (
    <ul className="attachment-links" aria-label={strings.attachments}>
      {attachments.map((attachment) => (
        <li key={attachment.key}>
          {attachment.url === undefined ? (
            attachment.name
          ) : (
            <a href={attachment.url} download={attachment.name}>
              {attachment.name}
            </a>
          )}
          {attachment.size === undefined ? null : <span className="muted"> {formatFileSize(attachment.size, locale)}</span>}
        </li>
      ))}
    </ul>
  );
}

/** A submitted ticket of either Work Order API version, with its attachments as download links, and its replies. */
export function TicketView({ ticket, strings, locale }: { ticket: Ticket; strings: DemoStrings; locale: UploaderLocale }) {
  return (
    <article className="ticket" aria-labelledby={`ticket-${ticket.id}`}>
      <header>
        <p className="eyebrow">
          {strings.ticket} #{ticket.id} · {strings.ticketApi(ticket.apiVersion)}
        </p>
        <h1 id={`ticket-${ticket.id}`}>{ticket.title || strings.ticket}</h1>
      </header>
      <p className="ticket-content">{ticket.content}</p>
      <AttachmentLinks attachments={ticket.attachments} strings={strings} locale={locale} />
      {ticket.replies && ticket.replies.length > 0 && (
        <section aria-label={strings.replies} className="replies">
          <h2>{strings.replies}</h2>
          {ticket.replies.map((reply) => (
            <div className="reply" key={reply.id}>
              <p className="ticket-content">{reply.content}</p>
              <AttachmentLinks attachments={reply.attachments} strings={strings} locale={locale} />
            </div>
          ))}
        </section>
      )}
    </article>
  );
}
