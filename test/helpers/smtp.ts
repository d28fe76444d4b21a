import { spawnHelper, type Exit } from './server-process.ts';

/** A message as the SMTP sink received and decoded it. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  subject: string;
  text: string;
  html: string | false;
  contentType: string;
  headers: Record<string, string>;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT` */
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` messages in all have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<Exit>;
}

/** Starts test/helpers/smtp-sink.ts, a real SMTP server process on loopback, and collects what it receives. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const { child, exited } = spawnHelper('test/helpers/smtp-sink.ts');
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as { listening?: number } & ReceivedMail;
        buffer = buffer.slice(nl + 1);
        if (line.listening) resolve(line.listening);
        else received.push(line);
      }
      for (const w of [...waiters]) w();
    });
    void exited.then((e) => reject(new Error(`the SMTP sink exited (${e.code ?? e.signal}) before listening`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor: (count, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} e-mails arrived within ${timeoutMs} ms`)), timeoutMs);
        waiters.push(check);
        check();
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
