import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  /** Plain text: read the same by every mail client and screen reader. */
  text: string;
  headers?: Record<string, string>;
}

export type Mailer = ReturnType<typeof createMailer>;

/** Sends plain-text e-mail through SMTP (`smtp://…`, `smtps://…`), as `from`. */
export function createMailer(smtpUrl: string, from: string) {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    /** Resolves once the SMTP server accepted the message; rejects otherwise. */
    send: async (mail: Mail): Promise<void> => {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
    },
    close: () => transport.close(),
  };
}
