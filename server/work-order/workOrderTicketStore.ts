/** A reply stored by `QuestionReply`. */
export interface WorkOrderReply {
  id: string;
  ticketId: string;
  content: string;
  /** `QuestionSecContent`: content only the support staff see. Empty when not given. */
  secContent: string;
  /** Object keys, in the order given. */
  attachments: string[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

/** A ticket stored by `add` (the legacy API calls it a question). */
export interface WorkOrderTicket {
  id: string;
  aliUid: string;
  title: string;
  content: string;
  productId: string;
  /** Object keys, in the order given. */
  attachments: string[];
  /** ISO 8601 UTC. */
  createdAt: string;
  replies: WorkOrderReply[];
}

export type NewWorkOrderTicket = Omit<WorkOrderTicket, 'id' | 'createdAt' | 'replies'>;
export type NewWorkOrderReply = Omit<WorkOrderReply, 'id' | 'createdAt'>;

export interface WorkOrderTicketStore {
  addTicket(ticket: NewWorkOrderTicket): WorkOrderTicket;
  /** `undefined` when the ticket does not exist. */
  addReply(reply: NewWorkOrderReply): WorkOrderReply | undefined;
  getTicket(id: string): WorkOrderTicket | undefined;
  /** Oldest first. */
  listTickets(): WorkOrderTicket[];
  clear(): void;
}

export interface WorkOrderTicketStoreOptions {
  now: () => Date;
  /** Default: sequential numbers from 100001. */
  createId?: () => string;
}

function cloneTicket(ticket: WorkOrderTicket): WorkOrderTicket {
  return {
    ...ticket,
    attachments: [...ticket.attachments],
    replies: ticket.replies.map((reply) => ({ ...reply, attachments: [...reply.attachments] })),
  };
}

/** Tickets and replies in memory. Readers get copies, so nothing outside can change what is stored. */
export function createWorkOrderTicketStore({ now, createId }: WorkOrderTicketStoreOptions): WorkOrderTicketStore {
  let nextId = 100_001;
  const newId = createId ?? (() => String(nextId++));
  const tickets = new Map<string, WorkOrderTicket>();
  return {
    addTicket(fields) {
      const ticket: WorkOrderTicket = {
        ...fields,
        attachments: [...fields.attachments],
        id: newId(),
        createdAt: now().toISOString(),
        replies: [],
      };
      tickets.set(ticket.id, ticket);
      return cloneTicket(ticket);
    },
    addReply(fields) {
      const ticket = tickets.get(fields.ticketId);
      if (ticket === undefined) return undefined;
      const reply: WorkOrderReply = { ...fields, attachments: [...fields.attachments], id: newId(), createdAt: now().toISOString() };
      ticket.replies.push(reply);
      return { ...reply, attachments: [...reply.attachments] };
    },
    getTicket(id) {
      const ticket = tickets.get(id);
      return ticket === undefined ? undefined : cloneTicket(ticket);
    },
    listTickets() {
      return [...tickets.values()].map(cloneTicket);
    },
    clear() {
      tickets.clear();
    },
  };
}
