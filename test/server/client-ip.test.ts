import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressGroup } from '../../server/http/client-ip.ts';

test('an IPv4 address is its own group, also when written as IPv4-mapped IPv6', () => {
  assert.equal(addressGroup('203.0.113.7'), '203.0.113.7');
  assert.equal(addressGroup('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressGroup('::FFFF:203.0.113.7'), '203.0.113.7');
});

test('IPv6 addresses are grouped by their /64, however they are written', () => {
  const group = '2001:db8:85a3:8d3::/64';
  for (const ip of ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:0db8:85a3:08d3::1', '2001:db8:85a3:8d3::', '2001:DB8:85A3:8D3:ffff::1%eth0']) {
    assert.equal(addressGroup(ip), group, ip);
  }
  assert.notEqual(addressGroup('2001:db8:85a3:8d4::1'), group, 'the next /64 is another group');
  assert.equal(addressGroup('::1'), '0:0:0:0::/64');
  assert.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64');
});

test('an address that is not one stands for itself', () => {
  assert.equal(addressGroup('local'), 'local');
});
