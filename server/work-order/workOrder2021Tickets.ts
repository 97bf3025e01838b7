/** One message of a ticket: the opening description or a reply. */
export interface WorkOrder2021Note {
  dialogId: number;
  content: string;
  attachmentKeys: string[];
  /** Emulator clock, ms. */
  createdAt: number;
  /** Who wrote it (the AccessKeyId that signed the call). */
  author: string;
}

export interface WorkOrder2021Ticket {
  ticketId: string;
  title: string;
  description: string;
  categoryId: string;
  severity: number;
  creatorId: string;
  createdAt: number;
  notes: WorkOrder2021Note[];
}

/** Tickets of the 2021-06-10 emulator, in memory (a restart forgets them, like the legacy ticket API). */
export class WorkOrder2021Tickets {
  readonly #tickets = new Map<string, WorkOrder2021Ticket>();
  #nextDialogId = 1;

  constructor(private readonly createTicketId: () => string) {}

  create(fields: Omit<WorkOrder2021Ticket, 'ticketId' | 'notes'> & { attachmentKeys: string[] }): WorkOrder2021Ticket {
    const { attachmentKeys, ...rest } = fields;
    const ticket: WorkOrder2021Ticket = { ...rest, ticketId: this.createTicketId(), notes: [] };
    ticket.notes.push({
      dialogId: this.#nextDialogId++,
      content: fields.description,
      attachmentKeys,
      createdAt: fields.createdAt,
      author: fields.creatorId,
    });
    this.#tickets.set(ticket.ticketId, ticket);
    return ticket;
  }

  /** Oldest first (the local stack's control API lists them). */
  list(): WorkOrder2021Ticket[] {
    return [...this.#tickets.values()];
  }

  get(ticketId: string): WorkOrder2021Ticket | undefined {
    return this.#tickets.get(ticketId);
  }

  reply(ticket: WorkOrder2021Ticket, note: Omit<WorkOrder2021Note, 'dialogId'>): WorkOrder2021Note {
    const stored = { ...note, dialogId: this.#nextDialogId++ };
    ticket.notes.push(stored);
    return stored;
  }

  /** Every object key some ticket or reply references. */
  referencedKeys(): Set<string> {
    const keys = new Set<string>();
    for (const ticket of this.#tickets.values()) for (const note of ticket.notes) for (const key of note.attachmentKeys) keys.add(key);
    return keys;
  }
}
