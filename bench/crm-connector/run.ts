/**
 * The CRM connector under load (`npm run bench:crm`): calls replayed into the amoCRM and
 * Bitrix24 pipelines against their sandboxes over real HTTP on 127.0.0.1, at the CRMs'
 * published limits (amoCRM 7 requests/s, Bitrix24 a bucket of 50 draining 2/s), on a
 * clock running BENCH_CRM_SPEED_* times faster than the wall clock (one time source for
 * the pacers and the sandboxes' limiters). Two phases per CRM: calls arriving below
 * capacity (latency from call end to the last CRM write) and a burst (throughput at the
 * limit). Any 429 / QUERY_LIMIT_EXCEEDED would mean the pacer let too much through.
 */
import { crmBench, type CrmBenchResult } from './crm-bench.ts';

// Bitrix24's limit is 3.5 times lower: 2,000 calls there are already ~1.5 simulated hours.
const calls = {
  amocrm: Number(process.env.BENCH_CRM_CALLS ?? 10_000),
  bitrix24: Number(process.env.BENCH_CRM_CALLS_BITRIX ?? 2_000),
};
const steadyShare = 0.1;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

function row(result: CrmBenchResult): string {
  const latency = [...result.steadyLatencyMs].sort((a, b) => a - b);
  const ms = (p: number) => percentile(latency, p).toFixed(0);
  return [
    result.crm,
    `${result.speed}×`,
    `${result.steadyCalls} @ ${result.steadyRate}/s`,
    `${ms(50)} / ${ms(95)} / ${ms(99)} / ${(latency.at(-1) ?? 0).toFixed(0)}`,
    String(result.burstCalls),
    (result.burstMs / 1000).toFixed(0),
    (result.burstRequests / (result.burstMs / 1000)).toFixed(2),
    (result.burstCalls / (result.burstMs / 1000)).toFixed(2),
    String(result.refusedForRate),
    String(result.failedCalls),
    `${mb(result.rssBefore)} / ${mb(result.peakRss)} / ${mb(result.rssAfter)}`,
  ].join(' | ');
}

const results: CrmBenchResult[] = [];
for (const crm of ['amocrm', 'bitrix24'] as const) {
  const steady = Math.round(calls[crm] * steadyShare);
  results.push(await crmBench(crm, { steadyCalls: steady, burstCalls: calls[crm] - steady }));
}
console.log(`\nRun on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}\n`);
console.log(
  '| CRM | clock | steady calls | latency p50 / p95 / p99 / max (ms) | burst calls | drained in (s) | requests/s | calls/s | 429s | failed | RSS before / peak / after (MB) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const result of results) console.log(`| ${row(result)} |`);
