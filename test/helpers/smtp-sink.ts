/**
 * A real SMTP server, run as its own process for end-to-end tests (`node --import tsx
 * test/helpers/smtp-sink.ts`): it listens on a free loopback port, prints `{"listening":PORT}`, then
 * accepts every message (no authentication, no TLS, as a relay on a private network would) and prints
 * each as one JSON line: envelope, raw header lines and decoded plain text (mailparser).
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        // The header lines as sent (mailparser folds some, such as List-*, into objects).
        const headers = Object.fromEntries(mail.headerLines.map(({ key, line }) => [key, line.slice(line.indexOf(':') + 1).trim()]));
        process.stdout.write(`${JSON.stringify({
          envelope: { from: session.envelope.mailFrom && session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
          subject: mail.subject, text: mail.text, html: mail.html, contentType: (mail.headers.get('content-type') as { value: string }).value, headers,
        })}\n`);
        callback();
      })
      .catch((err: Error) => callback(err));
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: (server.server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
