import type { Logger } from '../logger.ts';
import { statusMail } from './messages.ts';
import type { NotificationsStore } from './notifications.store.ts';
import type { Mailer } from './mailer.ts';

export interface MailSettings {
  /** The public URL of this server, ending in `/`: unsubscribe links are built from it. */
  publicUrl: string;
  /** The time zone dates are written in. */
  timeZone: string;
}

export type Notifier = ReturnType<typeof createNotifier>;

/**
 * Sends the e-mails owed to followers, a few at a time, through SMTP. A failure leaves the e-mail owed
 * (retried later, given up after a few tries); a success is recorded right after the server accepted
 * it, so an e-mail is sent at least once and, short of a crash between the two, once.
 */
export function createNotifier(store: NotificationsStore, mailer: Mailer, mail: MailSettings, logger: Logger) {
  /** Sends what is due at `now` (Unix seconds); resolves to the number sent. */
  async function deliver(now: number): Promise<number> {
    let delivered = 0;
    for (const n of store.due(now, 20)) {
      const unsubscribe = new URL(`unsubscribe/${n.token}`, mail.publicUrl).href;
      const message = statusMail(n, unsubscribe, mail.timeZone);
      try {
        await mailer.send({
          to: n.email,
          subject: message.subject,
          text: message.text,
          headers: {
            'Auto-Submitted': 'auto-generated',
            'Content-Language': message.language,
            'List-Unsubscribe': `<${unsubscribe}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
        store.markSent(n.id, now);
        delivered++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        store.markFailed(n, now, reason);
        logger.warn('e-mail not sent', { notification: n.id, attempt: n.attempts + 1, reason });
      }
    }
    return delivered;
  }

  return { deliver };
}
