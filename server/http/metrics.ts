/** Latency buckets in seconds: sub-millisecond reads up to slow uploads. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Record<string, string>;
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The server's counters in the Prometheus text format: HTTP requests by route and status, latency
 * histograms by route, rate-limit refusals by scope, plus gauges read when scraped.
 */
export function createMetrics() {
  const requests = new Map<string, { labels: Labels; count: number }>();
  const latency = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  const rateLimited = new Map<string, number>();

  return {
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const hk = `${method} ${route}`;
      const k = `${hk} ${status}`;
      let r = requests.get(k);
      if (!r) requests.set(k, (r = { labels: { method, route, status: String(status) }, count: 0 }));
      r.count += 1;
      let h = latency.get(hk);
      if (!h) latency.set(hk, (h = { labels: { method, route }, buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) h.buckets[i]! += 1;
      });
      h.sum += seconds;
      h.count += 1;
    },
    rateLimited(scope: 'ip' | 'key') {
      rateLimited.set(scope, (rateLimited.get(scope) ?? 0) + 1);
    },
    /** The exposition text; `gauges` are sampled by the caller at scrape time. */
    render(gauges: { name: string; help: string; value: number; labels?: Labels }[]): string {
      const out: string[] = [];
      out.push('# HELP georeport_http_requests_total HTTP requests answered, by route and status.');
      out.push('# TYPE georeport_http_requests_total counter');
      for (const r of requests.values()) out.push(`georeport_http_requests_total${labelText(r.labels)} ${r.count}`);
      out.push('# HELP georeport_http_request_duration_seconds Time to answer, by route.');
      out.push('# TYPE georeport_http_request_duration_seconds histogram');
      for (const h of latency.values()) {
        BUCKETS.forEach((b, i) => out.push(`georeport_http_request_duration_seconds_bucket${labelText({ ...h.labels, le: String(b) })} ${h.buckets[i]}`));
        out.push(`georeport_http_request_duration_seconds_bucket${labelText({ ...h.labels, le: '+Inf' })} ${h.count}`);
        out.push(`georeport_http_request_duration_seconds_sum${labelText(h.labels)} ${h.sum}`);
        out.push(`georeport_http_request_duration_seconds_count${labelText(h.labels)} ${h.count}`);
      }
      out.push('# HELP georeport_rate_limited_total Writes refused by a rate limit, by scope (ip or key).');
      out.push('# TYPE georeport_rate_limited_total counter');
      for (const scope of ['ip', 'key']) out.push(`georeport_rate_limited_total{scope="${scope}"} ${rateLimited.get(scope) ?? 0}`);
      const seen = new Set<string>();
      for (const g of gauges) {
        if (!seen.has(g.name)) {
          out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
          seen.add(g.name);
        }
        out.push(`${g.name}${labelText(g.labels ?? {})} ${g.value}`);
      }
      return out.join('\n') + '\n';
    },
  };
}
