import type { Scope } from '../../server/keys/api-clients.store.ts';
import type { AdminLanguage } from './language.ts';
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
  // Request page slice (issue 15): a request's page (facts beside the actions), its history, templates, intake by map.
  casework: {
    facts: 'The request', actions: 'Actions', jumpToAnswer: 'Answer', summary: (status: string, visibility: string) => `${status} · ${visibility}`,
    answer: 'Answer the resident', answerHelp: 'The message is public: it joins the request’s timeline and is e-mailed to its followers.',
    message: 'Message to the resident (public)', saveAnswer: 'Save the answer', nothingToSave: 'Nothing to save: choose another status or write a message.',
    template: (status: string, language: string) => `Insert the “${status}” template (${language})`,
    templateHere: (language: string, reporters: boolean) => `A template exists for this status, in ${language} (${reporters ? 'the reporter’s language' : 'the town’s language'}).`,
    languages: { fr: 'French', en: 'English', de: 'German', es: 'Spanish', it: 'Italian', nl: 'Dutch' } as Record<string, string>,
    internal: 'Internal note', internalHelp: 'Seen by staff only.', addInternal: 'Add the internal note',
    reject: 'Reject…', rejectTitle: (id: string) => `Reject request ${id}?`,
    rejectWhat: 'It leaves the public map and API, its followers can no longer read it, and its reporter sees “Rejected” with the reason chosen. A rejection cannot be undone here.',
    reason: 'Reason (read by the reporter)', chooseReason: 'Choose a reason…', confirmReject: 'Reject the request', cancel: 'Cancel',
    merge: 'Merge…', mergeTitle: (id: string) => `Merge request ${id} into another?`, mergeInto: 'Number of the request it duplicates',
    mergeFound: (id: string, what: string) => `Request ${id}: ${what}`, mergeUnknown: 'There is no request of this number here.', mergeSelf: 'A request cannot be merged into itself.',
    mergeWhat: (id: string, into: string, followers: number) => `Request ${id} will be closed as a duplicate of ${into}, which the public sees; ${followers === 1 ? 'its follower follows' : `its ${followers} followers follow`} ${into} from now on. A merge cannot be undone.`,
    confirmMerge: 'Merge', publish: 'Publish', publishTitle: (id: string) => `Publish request ${id} with your changes?`,
    publishWhat: 'What becomes public, once your changes are saved:', publishPhotos: (shown: number, hidden: number) => `${shown} photo(s) shown${hidden ? `, ${hidden} hidden` : ''}.`,
    publishPrivate: 'The reporter and their contact details stay private.', confirmPublish: 'Save and publish',
    edit: 'Edit the texts (take out personal data)', before: 'Before', after: 'After', empty: '(empty)', erased: 'Erased under the retention policy',
    done: {
      status: (status: string) => `Saved: status “${status}”.`, statusAndMessage: (status: string) => `Saved: status “${status}” and the message, sent to followers.`,
      message: 'Saved: the message is public and sent to followers.', internal: 'Saved: internal note added.', published: 'Published: the request is on the public map and API.',
      rejected: 'Rejected: the request is no longer public.', merged: (into: string) => `Merged into request ${into}.`, assigned: (name: string) => `Saved: given to ${name}.`,
      unassigned: 'Saved: given to no department.', edited: 'Saved: the texts.', unchanged: 'The texts are unchanged.', photo: 'Saved: the photo is hidden.',
    },
    events: {
      published: 'Published', photoHidden: (n: number) => `Photo ${n} hidden`, edited: 'Texts edited', mergedInto: (id: string) => `Merged into request ${id}`,
      mergedHere: (id: string) => `Request ${id} merged into this one`, rejected: (reason: string) => `Rejected: ${reason}`,
    },
    mergeCheck: 'Show this request', duplicateOf: 'Duplicate of', fields: { title: 'Title', description: 'Description', address: 'Address' },
    actor: {
      staff: (name: string) => name, staffGone: 'a staff member since removed', app: (name: string) => `“${name}” (API key)`, appGone: 'a revoked or deleted API key',
      bus: (name: string) => `“${name}” (CRM, on the bus)`, busGone: 'a deleted bus application', resident: 'a resident', system: 'georeport (automatic)', demo: 'demo data', unknown: 'someone unknown',
    },
  },
  intakeMap: {
    where: 'Where', search: 'Address', searchHelp: 'Type an address and choose one offered: the point goes there. Or place the point on the map: the address near it is filled in.',
    suggestions: 'Addresses offered', suggested: (n: number) => (n === 0 ? 'No address found.' : n === 1 ? '1 address offered.' : `${n} addresses offered.`),
    searchDown: 'The address search does not answer: place the point on the map, and type the address if you know it.',
    map: 'Map: place the request’s point', mapRole: 'map', mapHelp: 'Click or touch the map to place the point, drag it to adjust. Keyboard: Enter puts the point at the centre, the arrows move it (Shift: faster), + and − zoom.',
    zoomIn: 'Zoom in', zoomOut: 'Zoom out', unavailable: 'The map cannot be shown: type the address.',
    pinned: (lat: string, long: string) => `Point placed at ${lat}, ${long}.`, pinnedNear: (label: string) => `Point placed. ${label}.`, removePin: 'Remove the point',
    noPlace: 'Not done: place the point on the map or type an address.',
    filedNowhere: (id: string) => `Request ${id} filed, without a point: it will not show on the public map.`,
  },
  catalogue: {
    title: 'Catalogue', services: 'Categories', edit: 'Edit', add: 'Add a category', active: 'Offered', retired: 'Retired',
    editorTitle: (code: string) => (code ? `Category ${code}` : 'New category'), code: 'Code', unknown: 'There is no such category.', actions: 'Actions', up: 'Up', down: 'Down',
    name: (lang: string) => `Name (${LANGS_EN[lang]})`, description: (lang: string) => `Description (${LANGS_EN[lang]})`,
    keywords: (lang: string) => `Keywords, comma-separated (${LANGS_EN[lang]})`, notice: (lang: string) => `Notice shown before reporting (${LANGS_EN[lang]})`,
    question: (lang: string) => `Question (${LANGS_EN[lang]})`, type: 'Type', types: { realtime: 'Number at once', batch: 'Number given later (batch)', blackbox: 'No number (black box)' } as Record<string, string>,
    groups: 'Groups', saveGroup: 'Save the group', document: 'The whole catalogue (Open311 JSON)', export: 'Download the catalogue', importFile: 'Catalogue file to import (replaces what it names)',
    import: 'Import', notJson: (file: string) => `Not done: ${file} is not a JSON file.`, group: 'Group', none: 'None', sla: 'SLA (hours)', moderation: 'Moderation',
    auto: 'Published at once', hold: 'Held for moderation', agency: 'Agency (shown publicly)', attributes: 'Questions', attribute: (n: number) => `Question ${n}`,
    attrCode: 'Code', datatype: 'Type', required: 'Required', isPublic: 'Answer shown to the public',
    values: 'Choices, one per line: key=Name (French)', valuesEn: 'Their English names, one per line: key=Name', addAttribute: 'Add a question', removeAttribute: 'Remove this question', save: 'Save the category', offered: 'Offered to residents',
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
  // Statistics slice (issue 15): charts and their tables, periods, key figures.
  stats: {
    title: 'Statistics', locale: 'en-GB', from: 'From', to: 'To', show: 'Show', csv: 'Download as CSV (a row per day)',
    quick: 'Periods', last30: 'Last 30 days', last12Weeks: 'Last 12 weeks', last12Months: 'Last 12 months',
    period: (first: string, last: string, zone: string) => `From ${first} to ${last} (${zone} time).`,
    none: 'No request was filed in this period.',
    filed: 'Requests filed', pending: (n: number) => (n === 1 ? '1 more waits for moderation' : `${n} more wait for moderation`),
    stillOpen: (n: number) => `${n} still open`, medianClose: 'Median time to close', p90: (d: string) => `9 in 10 closed within ${d}`,
    onTime: 'Closed on time', onTimeOf: (onTime: number, decided: number) => `${onTime} of ${decided} whose outcome is known`,
    hours: (n: string) => `${n} h`, days: (n: string) => `${n} days`,
    weekly: 'Filed and closed per week', weeklySummary: (filed: number, closed: number) => `Over the period: ${filed} filed, ${closed} closed.`,
    weeklyHelp: 'Closed: every closing of the week, whatever the day the request was filed, duplicates and rejections included: the gap between the two is how the backlog moved. Pale: a week only partly in the period.',
    filedKey: 'Filed', closedKey: 'Closed', week: 'Week', weekOf: (first: string, last: string) => `${first} – ${last}`, partial: '(part of the week)', backlog: 'Filed − closed', figures: 'The figures',
    slaByCategory: 'On time, by category', slaByDepartment: 'On time, by department',
    slaHelp: 'Against the expected date each request gets when filed (from its category’s SLA; the CRM may move it). On time: closed by it. Late: closed after it, or still open past it. Not yet due: open, before it. Duplicates and rejected requests are left out.',
    category: 'Category', department: 'Department', noDepartment: 'No department', share: 'Share', onTimeCount: 'On time', late: 'Late', notYetDue: 'Not yet due', noSla: 'No SLA',
    closeByCategory: 'Time to close, by category', closeByDepartment: 'Time to close, by department', closed: 'Closed', median: 'Median', ninety: '9 in 10 within',
    closeHelp: 'From filing to closing, for the requests of the period closed by now. Bar: the median; line: until 9 in 10 were closed. Duplicates and rejected requests are left out.',
    places: 'Streets and places most reported', place: 'Street or place', count: 'Requests',
    placesHelp: (withoutAddress: number, elsewhere: number) => `Counted by street, house numbers and details aside. Also: ${withoutAddress} without an address, ${elsewhere} elsewhere (a place is named once two requests share it).`,
    byStatus: 'By status', byChannel: 'By channel', status: 'Status', channel: 'Channel',
    heat: 'Where requests come from', heatLabel: 'Map of where requests come from, in cells of 1.7 km × 1.2 km (the table of streets says it in words)', heatCell: (n: number) => (n === 1 ? '1 request' : `${n} requests`),
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

const DICTIONARIES: Record<AdminLanguage, AdminTexts> = { fr: adminFr, en: adminEn };

/** The texts of a language the back office speaks (see `adminLanguageOf`). */
export const adminTexts = (lang: AdminLanguage): AdminTexts => DICTIONARIES[lang];
