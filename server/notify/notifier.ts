import type { Logger } from '../logger.ts';
import { assignmentMail } from './assignment-mail.ts';
import type { AssignmentMailsStore } from './assignments.store.ts';
import type { ConfirmationsStore } from './confirmations.store.ts';
import type { DeliveryRecord, Queued } from './delivery.ts';
import { confirmationMail, statusMail, type MailText } from './messages.ts';
import type { NotificationsStore } from './notifications.store.ts';
import type { Mailer } from './mailer.ts';

export interface MailSettings {
  /** The public URL of this server, ending in `/`: links to requests' pages, confirmations and unsubscribing are built from it. */
  publicUrl: string;
  /** The time zone dates are written in. */
  timeZone: string;
}

export type Notifier = ReturnType<typeof createNotifier>;

/**
 * Sends the e-mails owed to followers, a few at a time, through SMTP: first the confirmation requests
 * (someone who just followed is waiting for theirs), then the status changes; and those telling staff
 * what was assigned to them. Each batch is claimed first, so that servers sending at once never send
 * one e-mail twice. A failure leaves the e-mail owed (retried later, given up after a few tries); a
 * success is recorded right after the server accepted it, so an e-mail is sent at least once and, short
 * of a crash between the two, once.
 */
export function createNotifier(
  stores: { notifications: NotificationsStore; confirmations: ConfirmationsStore; assignments: AssignmentMailsStore },
  mailer: Mailer,
  mail: MailSettings,
  logger: Logger,
) {
  const link = (path: string) => new URL(path, mail.publicUrl).href;

  /** Sends one queued e-mail and records how it went in its queue; true when the SMTP server took it. */
  async function send(kind: 'confirmation' | 'notification' | 'assignment', queue: Pick<DeliveryRecord, 'markSent' | 'markFailed'>,
    item: Queued & { email: string }, message: MailText, headers: Record<string, string>, now: number): Promise<boolean> {
    try {
      await mailer.send({
        to: item.email,
        subject: message.subject,
        text: message.text,
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': message.language, ...headers },
      });
      await queue.markSent(item.id, now);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await queue.markFailed(item, now, reason);
      logger.warn('e-mail not sent', { [kind]: item.id, attempt: item.attempts + 1, reason });
      return false;
    }
  }

  /** Sends what is due at `now` (Unix seconds); resolves to the number sent. */
  async function deliver(now: number): Promise<number> {
    let delivered = 0;
    for (const c of await stores.confirmations.claim(now, 20)) {
      const links = { page: link(`requests/${c.requestId}`), action: link(`confirm/${c.token}`) };
      if (await send('confirmation', stores.confirmations, c, confirmationMail(c, links), {}, now)) delivered++;
    }
    for (const n of await stores.notifications.claim(now, 20)) {
      const unsubscribe = link(`unsubscribe/${n.token}`);
      const headers = { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
      const links = { page: link(`requests/${n.requestId}`), action: unsubscribe };
      if (await send('notification', stores.notifications, n, statusMail(n, links, mail.timeZone), headers, now)) delivered++;
    }
    for (const a of await stores.assignments.claim(now, 20)) {
      if (await send('assignment', stores.assignments, a, assignmentMail(a, link('admin')), {}, now)) delivered++;
    }
    return delivered;
  }

  return { deliver };
}
