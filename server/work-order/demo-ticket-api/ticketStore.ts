/** An attachment of a ticket or reply, with a link to the stored object. */
export interface TicketAttachment {
  key: string;
  /** Original file name from the object's Content-Disposition, else the key's last segment. */
  name: string;
  size: number;
  url: string;
}

export interface TicketReply {
  id: string;
  ticketId: string;
  content: string;
  attachments: TicketAttachment[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

export interface Ticket {
  id: string;
  title: string;
  content: string;
  attachments: TicketAttachment[];
  /** ISO 8601 UTC. */
  createdAt: string;
  replies: TicketReply[];
}

/** What Add and QuestionReply both carry once checked. */
export interface TicketPost {
  content: string;
  attachments: TicketAttachment[];
}

/** The demo's tickets and their replies, in memory. */
export class TicketStore {
  readonly #tickets = new Map<string, Ticket>();

  constructor(
    private readonly createId: () => string,
    private readonly now: () => Date,
  ) {}

  get(ticketId: string): Ticket | undefined {
    return this.#tickets.get(ticketId);
  }

  add(title: string, post: TicketPost): Ticket {
    const ticket: Ticket = {
      id: this.createId(),
      title,
      content: post.content,
      attachments: post.attachments,
      createdAt: this.now().toISOString(),
      replies: [],
    };
    this.#tickets.set(ticket.id, ticket);
    return ticket;
  }

  addReply(ticket: Ticket, post: TicketPost): TicketReply {
    const reply: TicketReply = {
      id: this.createId(),
      ticketId: ticket.id,
      content: post.content,
      attachments: post.attachments,
      createdAt: this.now().toISOString(),
    };
    ticket.replies.push(reply);
    return reply;
  }

  /** The ticket whose own attachments or replies reference the object `key`, if any. */
  ticketReferencing(key: string): Ticket | undefined {
    for (const ticket of this.#tickets.values()) {
      const attached = [ticket, ...ticket.replies].some((entry) => entry.attachments.some((attachment) => attachment.key === key));
      if (attached) return ticket;
    }
    return undefined;
  }

  clear(): void {
    this.#tickets.clear();
  }
}
