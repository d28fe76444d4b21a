import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCalendar } from '../../server/admin/calendar.ts';
import { percentile, sla, timeToClose } from '../../server/admin/stats.figures.ts';
import { streetKey, streetName, streetOf } from '../../server/admin/streets.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

test('the town’s weeks run Monday to Sunday on its clock, across summer time and the turn of a year', () => {
  const paris = createCalendar('Europe/Paris');
  const [w13, w14] = paris.weeks(at('2026-03-25T12:00:00Z'), at('2026-03-31T12:00:00Z'));
  assert.deepEqual(w13, { first: '2026-03-23', last: '2026-03-29', start: at('2026-03-22T23:00:00Z'), end: at('2026-03-29T22:00:00Z'), label: '2026-W13' },
    'the week summer time starts in has 167 hours');
  assert.equal(w14!.start, at('2026-03-29T22:00:00Z'));
  assert.deepEqual(paris.weeks(at('2020-12-30T12:00:00Z'), at('2021-01-05T12:00:00Z')).map((w) => w.label), ['2020-W53', '2021-W01']);
  assert.deepEqual(paris.weeks(at('2025-12-30T12:00:00Z'), at('2025-12-30T12:00:00Z')).map((w) => [w.label, w.first]), [['2026-W01', '2025-12-29']]);
  assert.equal(paris.dateAt(at('2026-05-31T22:30:00Z')), '2026-06-01', 'half past midnight in Paris');
  assert.equal(paris.day('2026-06-01')!.start, at('2026-05-31T22:00:00Z'));
  assert.equal(paris.day('2026-02-30'), undefined);
  assert.equal(paris.day('1 June'), undefined);
});

test('every day of two years starts at its first instant, even where the clocks jump over midnight', () => {
  for (const zone of ['Europe/Paris', 'Asia/Beirut', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']) {
    const calendar = createCalendar(zone);
    const days = calendar.days(at('2024-01-01T00:00:00Z'), at('2025-12-31T00:00:00Z'));
    assert.ok(days.length >= 730, zone);
    for (const d of days) {
      assert.equal(calendar.dateAt(d.start), d.first, `${zone} ${d.first} starts`);
      assert.notEqual(calendar.dateAt(d.start - 1), d.first, `${zone} ${d.first} not earlier`);
      assert.equal(calendar.dateAt(d.end - 1), d.first, `${zone} ${d.first} ends`);
    }
  }
});

test('addresses count by their street: numbers, “near”, residents’ details, postcodes and spellings aside', () => {
  const cases: [string | null, string | null][] = [
    ['12 rue Nationale', 'rue Nationale'], ['Près du 12 Rue Nationale', 'Rue Nationale'], ['Près de Place Plumereau', 'Place Plumereau'],
    ['12 Rue Nationale 37000 Montclair-sur-Loire', 'Rue Nationale'], ['Rue Colbert, rideau de fer du n° 30', 'Rue Colbert'],
    ['Rue Bernard-Palissy n° 14', 'Rue Bernard-Palissy'], ['12bis rue des Halles', 'rue des Halles'], ['12-14 Rue Michelet', 'Rue Michelet'],
    ['Place du 8 Mai 1945', 'Place du 8 Mai 1945'], ['3 rue du 11 Novembre 1918', 'rue du 11 Novembre 1918'], ['8 avenue Foch', 'avenue Foch'],
    ['Near 10 High Street', 'High Street'], ['3 impasse des Lilas, chez Mme Martin', 'impasse des Lilas'], ['12', null], ['  ', null], [null, null],
  ];
  for (const [address, street] of cases) assert.equal(streetOf(address), street, String(address));
  assert.equal(streetKey('Rue Jean-Jaurès'), streetKey('rue jean jaures'));
  assert.equal(streetKey('Rue de l’Église'), streetKey("rue de l'eglise"));
  assert.equal(streetName(new Map([['place plumereau', 1], ['Place Plumereau', 1]])), 'Place Plumereau');
  assert.equal(streetName(new Map([['rue Nationale', 3], ['Rue Nationale', 1]])), 'Rue Nationale', 'as most wrote it, with a capital');
});

test('medians and 90th percentiles interpolate between ranks; an SLA share counts only what is decided', () => {
  assert.equal(percentile([], 0.5), null);
  assert.equal(percentile([7], 0.9), 7);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), 91);
  assert.deepEqual(timeToClose([3600 * 200, 3600 * 10, 3600 * 30]), { closed: 3, median_hours: 30, p90_hours: 166 });
  assert.deepEqual(sla({ on_time: 2, late: 1, not_yet_due: 5, without_sla: 4 }).on_time_share, 0.667);
  assert.equal(sla({ on_time: 0, late: 0, not_yet_due: 5, without_sla: 4 }).on_time_share, null);
});
