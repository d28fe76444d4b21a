import type { Scope } from '../../server/keys/api-clients.store.ts';
import { adminFr } from './texts-fr.ts';

const LANGS_EN: Record<string, string> = { fr: 'French', en: 'English' };

/** The back office's texts, in English; the shape French follows. */
export const adminEn = {
  title: 'georeport back office',
  skip: 'Skip to the content',
  nav: { label: 'Sections', requests: 'Requests', moderation: 'Moderation', intake: 'New request', catalogue: 'Catalogue', routing: 'Routing', stats: 'Statistics', settings: 'Keys, bus and staff' },
  jurisdiction: 'Town',
  logout: 'Log out',
  login: { title: 'Log in', email: 'E-mail', password: 'Password', submit: 'Log in', wrong: 'Wrong e-mail or password.', expired: 'Your session has ended. Log in again to go on: what you typed is kept.', throttled: 'Too many failed attempts: wait a few minutes.', network: 'The server cannot be reached.' },
  loading: 'Loading…',
  saved: 'Saved.',
  failed: (message: string) => `Not done: ${message}`,
  forbidden: 'Your role does not allow this here.',
  account: {
    title: 'My password', current: 'Current password', next: 'New password (12 characters or more)', again: 'The new password again', save: 'Change my password',
    mismatch: 'Not done: the two new passwords differ.', wrong: 'Not done: the current password is wrong.', done: 'Password changed. Your other sessions are closed.', link: 'My password',
  },
  requests: {
    title: 'Requests', moderationTitle: 'Waiting for moderation', search: 'Search', status: 'Status', visibility: 'Visibility', service: 'Category', any: 'All',
    open: 'Open', closed: 'Closed', pending: 'Waiting for moderation', published: 'Published', hidden: 'Hidden', filter: 'Apply',
    count: (n: number) => (n === 1 ? '1 request' : `${n} requests`), none: 'No request matches.', number: 'No.', filed: 'Filed', where: 'Where', channel: 'Channel',
    previous: 'Previous page', next: 'Next page', view: 'Show as', asList: 'List', asMap: 'Map', mapLabel: 'Map of the requests found (the list shows the same)',
    mapNewest: (n: number) => `The map shows the ${n} newest.`,
  },
  // The inbox (issue 15, inbox slice): queues, columns, keyboard, assignment to a person, bulk actions.
  inbox: {
    queues: 'Queues', all: 'All', queue: { mine: 'My requests', unassigned: 'Unassigned', overdue: 'Overdue', moderation: 'To moderate' },
    columns: { number: 'No.', category: 'Category', place: 'Place', age: 'Age', status: 'Status', sla: 'Deadline', assignee: 'Assigned to', channel: 'Channel' },
    select: (id: string) => `Select request ${id}`, selectPage: 'Select every request of this page',
    selected: (n: number) => (n === 0 ? 'No request selected.' : n === 1 ? '1 request selected.' : `${n} requests selected.`),
    sla: { on_time: 'On time', due_today: 'Today', overdue: 'Overdue', none: 'No deadline' },
    dueOn: (when: string) => `due ${when}`, nobody: 'Nobody', noPlace: 'No place given',
    assignee: 'Assigned to', me: 'Me', any: 'Anyone', slaFilter: 'Deadline', anyDeadline: 'Any',
    keys: 'In the list: j or ↓ next, k or ↑ previous, Enter opens, x selects.', close: 'Close', backToList: 'Back to the list', detail: (id: string) => `Request ${id}`,
    take: 'Take it', assignTo: 'Assign to', assign: 'Assign', assignedTo: (name: string) => `Assigned to ${name}.`, notAssigned: 'Assigned to nobody.',
    taken: 'It is yours now.', given: (name: string) => `Now assigned to ${name}.`, released: 'No longer assigned to anyone.',
    bulk: {
      title: 'With the selection', action: 'Action', choose: 'Choose an action', apply: 'Apply', cancel: 'Cancel',
      actions: { assign: 'Assign to…', status: 'Change the status', publish: 'Publish', reject: 'Reject', merge: 'Merge into one' },
      to: 'Assign to', newStatus: 'New status', template: 'Start from a template', noTemplate: 'No template', note: 'Message to residents (public, e-mailed to followers)',
      reason: 'Reason (shown to the public)', into: 'Request kept (the others join it)',
      confirm: {
        status: (n: number, status: string) => `Set ${n === 1 ? '1 request' : `${n} requests`} to “${status}”? The message becomes public and each request’s followers are e-mailed.`,
        publish: (n: number) => `Publish ${n === 1 ? '1 request' : `${n} requests`}? Everyone will see ${n === 1 ? 'it' : 'them'} on the map.`,
        reject: (n: number) => `Reject ${n === 1 ? '1 request' : `${n} requests`}? ${n === 1 ? 'It leaves' : 'They leave'} public view, with the reason given.`,
        merge: (n: number, id: string) => `Merge ${n === 1 ? '1 request' : `${n} requests`} into request ${id}? ${n === 1 ? 'It is' : 'They are'} closed as duplicates; ${n === 1 ? 'its' : 'their'} followers follow request ${id}.`,
      },
      confirmYes: (n: number) => (n === 1 ? 'Yes, for 1 request' : `Yes, for ${n} requests`),
      done: {
        assign: (n: number) => (n === 0 ? 'Nothing to change: they were already assigned so.' : n === 1 ? '1 request assigned.' : `${n} requests assigned.`),
        status: (n: number) => (n === 1 ? '1 request changed.' : `${n} requests changed.`),
        publish: (n: number) => (n === 1 ? '1 request published.' : `${n} requests published.`),
        reject: (n: number) => (n === 1 ? '1 request rejected.' : `${n} requests rejected.`),
        merge: (n: number, id: string) => (n === 1 ? `1 request merged into request ${id}.` : `${n} requests merged into request ${id}.`),
      },
      tooFew: 'Choose at least two requests to merge.',
    },
  },
  request: {
    title: (id: string) => `Request ${id}`, reporter: 'Reporter', anonymous: 'Anonymous', erased: 'Erased (retention)', attributes: 'Answers', photos: 'Photos',
    hide: 'Hide this photo', hidden: 'hidden', history: 'History', internal: 'internal', public: 'public',
    statusTitle: 'Change the status', newStatus: 'New status', note: 'Note to the resident (public)', useTemplate: 'Use the template', save: 'Save the status',
    noteTitle: 'Add a note', noteText: 'Note', notePublic: 'Public (on the timeline, e-mailed to followers)', addNote: 'Add the note',
    moderation: 'Moderation', publish: 'Publish', reject: 'Reject', reason: 'Reason (shown to the public)', reasons: ['Duplicate of an existing report', 'Outside the town’s responsibility', 'Not a problem to fix', 'Offensive or personal content'],
    edit: 'Edit the texts (take out personal data)', description: 'Description', titleField: 'Title', address: 'Address', saveEdit: 'Save the texts',
    merge: 'Merge into another request', mergeInto: 'Number of the request it duplicates', doMerge: 'Merge', back: 'Back to the list',
    visibility: 'Visibility', status: 'Status', category: 'Category', filed: 'Filed', channel: 'Channel', expected: 'Expected by', external: 'CRM reference', followers: 'Followers',
    where: 'Where it is', department: 'Department', noDepartment: 'None', assignTitle: 'Assign to a department', assign: 'Assign',
  },
  intake: {
    title: 'A request received by phone or at the counter', channel: 'Received by', phone: 'Phone', counter: 'Counter', email: 'E-mail', service: 'Category',
    address: 'Address', description: 'Description', firstName: 'First name', lastName: 'Last name', phoneNumber: 'Phone number', emailAddress: 'E-mail address',
    submit: 'File the request', filed: (id: string) => `Request ${id} filed.`,
  },
  catalogue: {
    title: 'Catalogue', services: 'Services', edit: 'Edit', add: 'Add a service', active: 'Offered', retired: 'Retired',
    editorTitle: (code: string) => (code ? `Service ${code}` : 'New service'), code: 'Code', unknown: 'There is no such service.', actions: 'Actions', up: 'Up', down: 'Down',
    name: (lang: string) => `Name (${LANGS_EN[lang]})`, description: (lang: string) => `Description (${LANGS_EN[lang]})`,
    keywords: (lang: string) => `Keywords, comma-separated (${LANGS_EN[lang]})`, notice: (lang: string) => `Notice shown before reporting (${LANGS_EN[lang]})`,
    question: (lang: string) => `Question (${LANGS_EN[lang]})`, type: 'Type', types: { realtime: 'Number at once', batch: 'Number given later (batch)', blackbox: 'No number (black box)' } as Record<string, string>,
    groups: 'Groups', saveGroup: 'Save the group', document: 'The whole catalogue (Open311 JSON)', export: 'Download the catalogue', importFile: 'Catalogue file to import (replaces what it names)',
    import: 'Import', notJson: (file: string) => `Not done: ${file} is not a JSON file.`, group: 'Group', none: 'None', sla: 'SLA (hours)', moderation: 'Moderation',
    auto: 'Published at once', hold: 'Held for moderation', agency: 'Agency', attributes: 'Questions', attribute: (n: number) => `Question ${n}`,
    attrCode: 'Code', datatype: 'Type', required: 'Required', isPublic: 'Answer shown to the public',
    values: 'Choices, one per line: key=Name (French)', valuesEn: 'Their English names, one per line: key=Name', addAttribute: 'Add a question', removeAttribute: 'Remove this question', save: 'Save the service', offered: 'Offered to residents',
    datatypes: { string: 'Short text', text: 'Long text', number: 'Number', datetime: 'Date and time', singlevaluelist: 'One choice', multivaluelist: 'Several choices' },
    templates: 'Response templates', template: 'Template', templateHelp: 'A template is offered when a request of its category gets its status; an empty text removes it.', templateStatus: 'Status', templateLocale: 'Language', saveTemplate: 'Save the template',
  },
  settings: {
    revokeConfirm: (name: string) => `Revoke the key of “${name}”? What uses it stops working at once.`,
    actions: 'Actions', removeStaff: 'Remove', removeStaffConfirm: (name: string) => `Take away ${name}’s role here? They lose access to this town at once.`,
    revokeAppConfirm: (name: string) => `Revoke the bus application “${name}”? Its secret is refused at once, and what it has not taken stays here.`,
    keys: 'API keys', keyName: 'Who uses it', rate: 'Rate limit (per minute, optional)', createKey: 'Create the key', revoke: 'Revoke',
    newKey: (key: string, secret: boolean) => (secret
      ? `New integration key, to keep secret: it can post status updates, so never put it in a web page. Copy it now, it is shown once: ${key}`
      : `New key (copy it now, it is shown once): ${key}`),
    scopes: {
      report: { name: 'File and follow requests', hint: 'For the website widget: can be public.' },
      updates: { name: 'Post status updates', hint: 'For a trusted integration: keep it secret.' },
    } satisfies Record<Scope, { name: string; hint: string }>,
    mayDo: 'What it may do', keyMayDo: 'What the key may do', keyNamedMayDo: (name: string) => `What “${name}” may do`,
    changeScopes: 'Change', changeScopesOf: (name: string) => `Change what ${name} may do`, saveScopes: 'Save', cancel: 'Cancel',
    noScope: 'Not done: choose at least one thing the key may do.',
    grantUpdates: (name: string) => `Let “${name}” post status updates? Whoever holds this key can then change the status of this town’s requests, close them and have their followers e-mailed. Give it to a trusted integration only, and keep it secret. If this key is in a web page, anyone can read it there: create a separate key for the integration instead.`,
    dropReport: (name: string) => `Stop “${name}” filing and following requests? A website widget using this key stops working at once.`,
    scopesChanged: (name: string, what: string[]) => `“${name}” may now: ${what.map((w) => w.toLowerCase()).join(', ')}.`,
    bus: 'Bus applications', busName: 'Name', busDeferred: 'Deferred (after moderation)', createApp: 'Create the application', newSecret: (s: string) => `Secret (copy it now, it is shown once): ${s}`,
    lastPoll: 'Last call', backlog: 'Waiting', dead: 'Dead letters', never: 'never',
    staff: 'Staff', staffEmail: 'E-mail', staffName: 'Name', staffRole: 'Role', staffPassword: 'Initial password (12 characters or more)', addStaff: 'Add',
    roles: { administrator: 'Administrator', agent: 'Agent', readonly: 'Read only' },
    audit: 'Audit log', when: 'When', who: 'Who', what: 'What', target: 'On', name: 'Name', prefix: 'Prefix', created: 'Created', state: 'State', active: 'active', revoked: 'revoked',
  },
  routing: {
    area: 'The town’s area', areaSet: 'An area is set: reports outside it are handled as chosen below.', areaNone: 'No area is set: reports are taken wherever they are.',
    areaFile: 'Area (a GeoJSON file: Polygon, MultiPolygon or Feature; leave empty to keep the current one)', outside: 'A report outside the area is',
    refuse: 'refused, with a message to the resident', refer: 'taken, and closed as referred with the note below', referNote: 'Note to the resident (who handles it instead)',
    saveArea: 'Save the area', removeArea: 'Remove the area', departments: 'Departments', name: 'Name', agency: 'Agency (shown publicly)', busApp: 'Bus application', zone: 'Zone',
    zoneSet: 'set', zoneNone: 'everywhere', none: 'None', zoneFile: 'Zone (a GeoJSON file; leave empty to keep the current one)',
    departmentHelp: 'A new name adds a department; an existing name updates it.', saveDepartment: 'Save the department',
    rules: 'Rules', rulesHelp: 'A new report takes the department of the first rule that matches its category and whose department’s zone contains it.',
    rule: (n: number) => `Rule ${n}`, service: 'Category', anyService: 'Any category', department: 'Department', up: 'Up', down: 'Down', remove: 'Remove',
    addRule: 'Add a rule', saveRules: 'Save the rules', notJson: (file: string) => `Not done: ${file} is not a GeoJSON file.`,
    // Errors slice: what residents read when a place is refused, in each language.
    outsideMessageFr: 'Message to residents when a place is refused, in French (at most 500 characters)',
    outsideMessageEn: 'The same in English',
    outsideMessageHelp: 'Shown as written under the address in the form, after the form’s own words; say who to turn to. Empty: the form’s words only.',
  },
  stats: {
    title: 'Statistics', from: 'From', to: 'To', show: 'Show', total: (n: number) => `${n} requests`, medianClose: 'Median time to close', hours: (h: number | null) => (h === null ? '—' : `${h} h`),
    byStatus: 'By status', byChannel: 'By channel', byDepartment: 'By department', byService: 'By category', withinSla: 'Closed within SLA', count: 'Requests', open: 'Open',
    byDay: 'Per day', day: 'Day', csv: 'Download as CSV', heat: 'Where (grid of 1.7 km × 1.2 km)', heatTable: 'The 20 busiest places', place: 'Place', department: 'Department', noDepartment: 'None',
  },
  visibilities: { pending: 'Waiting for moderation', published: 'Published', hidden: 'Hidden' } as Record<string, string>,
  channels: { api: 'API', web: 'Website', mobile: 'Mobile app', phone: 'Phone', counter: 'Counter', email: 'E-mail' } as Record<string, string>,
  events: { created: 'Filed', accepted: 'Accepted by the CRM', status: 'Status', note: 'Note', moderation: 'Moderation', merge: 'Merge', media: 'Photo' } as Record<string, string>,
  statuses: {
    received: 'Received', in_progress: 'In progress', planned: 'Planned', fixed: 'Fixed', not_fixed: 'Closed without action', duplicate: 'Duplicate',
    referred: 'Referred', rejected: 'Rejected',
  } as Record<string, string>,
};

export type AdminTexts = typeof adminEn;

/** The texts of the page's language (`<html lang>`): French or English. */
export const adminTexts = (lang: string): AdminTexts => (lang.toLowerCase().startsWith('fr') ? adminFr : adminEn);
