import type { DueAssignment } from './assignments.store.ts';
import type { MailText } from './messages.ts';

const WORDS = {
  fr: {
    subject: (ids: number[]) => (ids.length === 1 ? `Signalement n° ${ids[0]} : il vous est assigné` : `${ids.length} signalements vous sont assignés`),
    hello: (name: string) => `Bonjour ${name},`,
    given: (by: string | null, n: number) =>
      `${by ?? 'Un membre de l’équipe'} vous a assigné ${n === 1 ? 'ce signalement' : `ces ${n} signalements`} :`,
    line: (id: number, service: string, address: string | null) => `- n° ${id} : ${service}${address ? `, ${address}` : ''}`,
    queue: 'Tous ceux qui vous sont assignés, dans « Mes demandes » :',
    why: 'Vous recevez ce message parce qu’un signalement vous a été assigné dans le back-office.',
  },
  en: {
    subject: (ids: number[]) => (ids.length === 1 ? `Report #${ids[0]} is now yours` : `${ids.length} reports are now yours`),
    hello: (name: string) => `Hello ${name},`,
    given: (by: string | null, n: number) => `${by ?? 'A member of staff'} assigned ${n === 1 ? 'this report' : `these ${n} reports`} to you:`,
    line: (id: number, service: string, address: string | null) => `- #${id}: ${service}${address ? `, ${address}` : ''}`,
    queue: 'Everything assigned to you, in “My requests”:',
    why: 'You receive this message because a report was assigned to you in the back office.',
  },
};

/**
 * The e-mail telling staff what was given to them, in the town's language (French, else English): who
 * gave it, each request by number, category and place with a link to it in the back office, and their
 * own queue. Nothing about the reporter: the back office shows that to whoever may see it.
 */
export function assignmentMail(m: DueAssignment, backOffice: string): MailText {
  const language = m.locale === 'fr' ? 'fr' : 'en';
  const w = WORDS[language];
  const lines = [
    w.hello(m.name),
    '',
    w.given(m.byName, m.requests.length),
    '',
    ...m.requests.flatMap((r) => [w.line(r.id, r.serviceName, r.address), `  ${backOffice}#/requests/${r.id}`]),
    '',
    w.queue,
    `${backOffice}#/requests?assignee=me&status=open`,
    '',
    '-- ',
    m.jurisdictionName,
    w.why,
  ];
  return { subject: w.subject(m.requests.map((r) => r.id)), text: `${lines.join('\n')}\n`, language };
}
