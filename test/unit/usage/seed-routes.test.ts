/** The seeded spend logs and the spend routes of the LiteLLM simulator. */
import { request } from 'undici';

import { SimServer } from '../../simulators/http/server';
import { registerSpendRoutes, seedSpendLogs } from '../../simulators/litellm/spend';

const MASTER = 'sk-master-seed-test-0001';
const END = Date.UTC(2026, 0, 20, 12);
const seed = seedSpendLogs({ rows: 1500, days: 3, seed: 9, endMs: END });
const server = new SimServer('spend-routes');

beforeAll(async () => {
	registerSpendRoutes(server, { masterKey: MASTER, logs: seed, keys: new Map(), teams: [] });
	await server.start();
});
afterAll(async () => {
	await server.stop();
});

async function get(path: string, key = MASTER): Promise<{ status: number; text: string }> {
	const res = await request(`${server.url}${path}`, {
		headers: { authorization: `Bearer ${key}` },
	});
	return { status: res.statusCode, text: await res.body.text() };
}

describe('seedSpendLogs', () => {
	it('is reproducible and newest first', () => {
		const again = seedSpendLogs({ rows: 1500, days: 3, seed: 9, endMs: END });
		expect(JSON.stringify(again.rowAt(777))).toBe(JSON.stringify(seed.rowAt(777)));
		expect(seed.rowAt(0).at).toBe(END);
		expect(seed.rowAt(10).at).toBeLessThanOrEqual(seed.rowAt(9).at);
		const other = seedSpendLogs({ rows: 1500, days: 3, seed: 10, endMs: END });
		expect(other.rowAt(5).request_id).not.toBe(seed.rowAt(5).request_id);
	});

	it('has failures, unpriced rows and n8n attribution', () => {
		const rows = Array.from({ length: seed.count }, (_, i) => seed.rowAt(i));
		expect(rows.some((r) => r.status === 'failure')).toBe(true);
		expect(rows.some((r) => r.status === 'success' && r.spend === 0 && r.total_tokens > 0)).toBe(
			true,
		);
		expect(
			rows.some(
				(r) => r.request_tags.includes('n8n') && r.metadata.spend_logs_metadata?.n8n_workflow_id,
			),
		).toBe(true);
	});

	it('finds a date range by binary search', () => {
		const start = END - 86_400_000;
		const [lo, hi] = seed.indexRange(start, END - 3_600_000);
		const brute = Array.from({ length: seed.count }, (_, i) => i).filter(
			(i) => seed.timeOf(i) >= start && seed.timeOf(i) <= END - 3_600_000,
		);
		expect([lo, hi]).toEqual([brute[0], brute[brute.length - 1] + 1]);
	});
});

describe('spend routes', () => {
	it('pages /spend/logs/ui with totals, costs in Python float notation', async () => {
		const { status, text } = await get(
			'/spend/logs/ui?start_date=2026-01-19%2000:00:00&end_date=2026-01-20%2012:00:00&page=2&page_size=100',
		);
		expect(status).toBe(200);
		const body = JSON.parse(text);
		const [lo, hi] = seed.indexRange(Date.UTC(2026, 0, 19), END);
		expect(body).toMatchObject({
			total: hi - lo,
			page: 2,
			page_size: 100,
			total_pages: Math.ceil((hi - lo) / 100),
		});
		expect(body.data).toHaveLength(100);
		expect(body.data[0].request_id).toBe(seed.rowAt(lo + 100).request_id);
		expect(body.data[0]).not.toHaveProperty('at');
		expect(text).toMatch(/"spend":\d\.\d+e-0\d/);
	});

	it('refuses page_size above 100 (422), missing dates (400), and non-admin keys (401)', async () => {
		expect(
			(
				await get(
					'/spend/logs/ui?start_date=2026-01-19%2000:00:00&end_date=2026-01-20%2000:00:00&page_size=101',
				)
			).status,
		).toBe(422);
		expect((await get('/spend/logs/ui?page=1')).status).toBe(400);
		const denied = await get(
			'/spend/logs/ui?start_date=2026-01-19%2000:00:00&end_date=2026-01-20%2000:00:00',
			'sk-not-the-master-key-1',
		);
		expect(denied.status).toBe(401);
		expect(JSON.parse(denied.text).error).toMatchObject({ type: 'auth_error', code: '401' });
		expect(denied.text).not.toContain('sk-not-the-master-key-1');
	});

	it('summarises /spend/logs per day with dates, and answers daily activity with breakdowns', async () => {
		const days = JSON.parse(
			(await get('/spend/logs?start_date=2026-01-18&end_date=2026-01-20')).text,
		);
		expect(days.map((d: { startTime: string }) => d.startTime)).toEqual([
			'2026-01-18',
			'2026-01-19',
			'2026-01-20',
		]);
		const activity = JSON.parse(
			(await get('/user/daily/activity?start_date=2026-01-18&end_date=2026-01-20')).text,
		);
		const total = activity.results.reduce(
			(s: number, r: { metrics: { api_requests: number } }) => s + r.metrics.api_requests,
			0,
		);
		const [lo, hi] = seed.indexRange(Date.UTC(2026, 0, 18), Date.UTC(2026, 0, 21) - 1);
		expect(total).toBe(hi - lo);
		expect(activity.metadata.total_api_requests).toBe(hi - lo);
		expect(Object.keys(activity.results[0].breakdown.models).length).toBeGreaterThan(1);
	});
});
