import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';

test('defaults give a local server on port 3311 with its store in data/', () => {
  const c = loadConfig({}, {});
  assert.equal(c.port, 3311);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dbFile, 'data/georeport.db');
  assert.equal(c.publicUrl, 'http://localhost:3311/');
  assert.deepEqual(c.corsOrigins, ['*']);
});

test('flags override environment variables, which override defaults', () => {
  const c = loadConfig({ GEOREPORT_PORT: '8080', GEOREPORT_LOG_LEVEL: 'warn' }, { port: '9090' });
  assert.equal(c.port, 9090);
  assert.equal(c.logLevel, 'warn');
  assert.equal(c.publicUrl, 'http://localhost:9090/', 'the default public URL follows the port');
});

test('the public URL always ends with a slash, and key_service falls back to the contact', () => {
  const c = loadConfig({ GEOREPORT_PUBLIC_URL: 'https://311.ville.example/signalements', GEOREPORT_CONTACT: '311@ville.example' }, {});
  assert.equal(c.publicUrl, 'https://311.ville.example/signalements/');
  assert.equal(c.keyService, '311@ville.example');
});

test('every invalid setting is reported at once, naming the variable and the flag', () => {
  assert.throws(
    () => loadConfig({ GEOREPORT_PORT: 'abc', GEOREPORT_PUBLIC_URL: 'ftp://x', GEOREPORT_TRUST_PROXY: 'perhaps' }, { 'log-level': 'loud', colour: 'blue' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 5);
      assert.match(e.message, /GEOREPORT_PORT \(--port\) must be an integer from 0 to 65535; got "abc"/);
      assert.match(e.message, /GEOREPORT_PUBLIC_URL/);
      assert.match(e.message, /GEOREPORT_LOG_LEVEL/);
      assert.match(e.message, /GEOREPORT_TRUST_PROXY/);
      assert.match(e.message, /unknown option --colour/);
      return true;
    },
  );
});

test('the outbound allow setting takes host names and IP addresses, written as URLs write them; nothing else', () => {
  const c = loadConfig({ GEOREPORT_OUTBOUND_ALLOW: 'CRM.ville.example., 10.0.0.7 ,::1,[fd00::5],127.1' }, {});
  assert.deepEqual(c.outboundAllow, ['crm.ville.example', '10.0.0.7', '[::1]', '[fd00::5]', '127.0.0.1']);
  for (const bad of ['*.ville.example', 'crm.ville.example:8443', 'https://crm.ville.example/', 'crm ville', '300.1.1.1']) {
    assert.throws(() => loadConfig({}, { 'outbound-allow': bad }), /GEOREPORT_OUTBOUND_ALLOW \(--outbound-allow\) must be a comma-separated list of host names or IP addresses/, bad);
  }
});

test('a postgres:// database URL selects PostgreSQL; without one the SQLite file is the store', () => {
  assert.equal(loadConfig({}, {}).databaseUrl, '');
  const url = 'postgres://georeport@db.example/georeport';
  assert.equal(loadConfig({ GEOREPORT_DATABASE_URL: url }, {}).databaseUrl, url);
  assert.equal(loadConfig({}, { 'database-url': 'postgresql://db.example/g' }).databaseUrl, 'postgresql://db.example/g');
  assert.throws(() => loadConfig({ GEOREPORT_DATABASE_URL: 'mysql://db.example/g' }, {}), /GEOREPORT_DATABASE_URL \(--database-url\) must be a postgres:\/\/ or postgresql:\/\/ URL/);
});

test('a stopping server drains for 8 s on PostgreSQL, behind its load balancer, and stops at once on SQLite; both can be set', () => {
  const postgres = { GEOREPORT_DATABASE_URL: 'postgres://georeport@db.example/georeport' };
  assert.equal(loadConfig({}, {}).drainSeconds, 0);
  assert.equal(loadConfig(postgres, {}).drainSeconds, 8);
  assert.equal(loadConfig({ ...postgres, GEOREPORT_DRAIN_SECONDS: '0' }, {}).drainSeconds, 0);
  assert.equal(loadConfig({}, { 'drain-seconds': '3' }).drainSeconds, 3);
  for (const bad of ['-1', '301', '2.5', 'soon']) {
    assert.throws(() => loadConfig(postgres, { 'drain-seconds': bad }), /GEOREPORT_DRAIN_SECONDS \(--drain-seconds\) must be an integer from 0 to 300 \(seconds\)/, bad);
  }
});

test('photos go to an S3-compatible bucket when its endpoint, bucket and keys are all set; else to the media folder', () => {
  assert.equal(loadConfig({}, {}).mediaS3Endpoint, '', 'the media folder by default');
  const env = {
    GEOREPORT_MEDIA_S3_ENDPOINT: 'https://s3.fr-par.scw.cloud',
    GEOREPORT_MEDIA_S3_BUCKET: 'ville-photos',
    GEOREPORT_MEDIA_S3_REGION: 'fr-par',
    GEOREPORT_MEDIA_S3_ACCESS_KEY_ID: 'SCWXXXXXXXXXXXXXXXXX',
    GEOREPORT_MEDIA_S3_SECRET_ACCESS_KEY: 'wJalr/XUtnFEMI+K7MDENG',
  };
  const c = loadConfig(env, {});
  assert.deepEqual(
    [c.mediaS3Endpoint, c.mediaS3Bucket, c.mediaS3Region, c.mediaS3AccessKeyId, c.mediaS3SecretAccessKey],
    ['https://s3.fr-par.scw.cloud/', 'ville-photos', 'fr-par', 'SCWXXXXXXXXXXXXXXXXX', 'wJalr/XUtnFEMI+K7MDENG'],
  );
  assert.equal(loadConfig({ ...env, GEOREPORT_MEDIA_S3_REGION: '' }, {}).mediaS3Region, 'us-east-1');
  assert.throws(() => loadConfig({ ...env, GEOREPORT_MEDIA_S3_ENDPOINT: 'file:///srv/photos' }, {}), /GEOREPORT_MEDIA_S3_ENDPOINT \(--media-s3-endpoint\) must be an http\(s\) URL/);
  assert.throws(() => loadConfig({ ...env, GEOREPORT_MEDIA_S3_BUCKET: '../other' }, {}), /GEOREPORT_MEDIA_S3_BUCKET \(--media-s3-bucket\) must be a bucket name/);
  assert.throws(() => loadConfig({ ...env, GEOREPORT_MEDIA_S3_BUCKET: '' }, {}), /GEOREPORT_MEDIA_S3_BUCKET \(--media-s3-bucket\) is needed with GEOREPORT_MEDIA_S3_ENDPOINT/);
  assert.throws(() => loadConfig({ ...env, GEOREPORT_MEDIA_S3_ENDPOINT: '' }, {}), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 3, 'bucket and both keys without an endpoint');
    assert.match(e.message, /GEOREPORT_MEDIA_S3_SECRET_ACCESS_KEY \(--media-s3-secret-access-key\) is set but GEOREPORT_MEDIA_S3_ENDPOINT is not/);
    return true;
  });
});

test('a secret is never shown, not even when it is refused', () => {
  const secrets = { 'media-s3-secret-access-key': 'wJalr XUtnFEMI', 'smtp-url': 'http://user:hunter2@mail.example', 'metrics-token': 'hunter2 short' };
  assert.throws(() => loadConfig({}, secrets), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.problems.length, 3);
    for (const flag of Object.keys(secrets)) assert.match(e.message, new RegExp(`--${flag}\\) must be .*not shown`));
    assert.doesNotMatch(e.message, /wJalr|hunter2/);
    return true;
  });
});

test('servers on one PostgreSQL try for the jobs no one leads every 3 s by default, from 100 ms to a minute', () => {
  assert.equal(loadConfig({}, {}).jobLeaderRetryMs, 3000);
  assert.equal(loadConfig({ GEOREPORT_JOB_LEADER_RETRY_MS: '250' }, {}).jobLeaderRetryMs, 250);
  assert.equal(loadConfig({}, { 'job-leader-retry-ms': '60000' }).jobLeaderRetryMs, 60_000);
  for (const bad of ['99', '60001', '2s', '-1']) {
    assert.throws(() => loadConfig({ GEOREPORT_JOB_LEADER_RETRY_MS: bad }, {}), /GEOREPORT_JOB_LEADER_RETRY_MS \(--job-leader-retry-ms\) must be an integer from 100 to 60000/, bad);
  }
});
