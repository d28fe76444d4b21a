/**
 * The demo site's public key, the same on every server seeded with the demo city: anyone can read it in
 * this repository. It works only on a server started in demo mode (`serve --seed-demo`, `GEOREPORT_DEMO`),
 * so a store that was once seeded for a trial does not keep an open door when it goes live.
 */
export const DEMO_API_KEY = 'demo-public-key';
