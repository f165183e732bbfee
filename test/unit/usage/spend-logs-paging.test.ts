/**
 * The spend-log reader asks for the next page while it folds the one before, never more than one page ahead,
 * and never past a page that failed. n8n's `httpRequestWithAuthentication` is stood in by a function whose
 * answers the test releases one by one, so the order of requests and folds is observed, not timed.
 */
import { mock } from 'jest-mock-extended';
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { DateRange } from '../../../nodes/LiteLlmUsage/aggregation/date-range';
import { foldSpendLogPages } from '../../../nodes/LiteLlmUsage/source/spend-logs';
import type { LiteLlmConnection } from '../../../nodes/shared/transport/litellm';

const TOTAL_PAGES = 4;
const connection: LiteLlmConnection = {
	baseUrl: 'http://127.0.0.1:4000',
	secrets: ['sk-paging-test-0001'],
	credentialOptions: {},
};
const range: DateRange = {
	preset: 'custom',
	startMs: Date.UTC(2026, 0, 1),
	endMs: Date.UTC(2026, 0, 2),
};

interface Pending {
	page: number;
	answer: (status: number) => void;
}

function pagedContext(events: string[]) {
	const waiting: Pending[] = [];
	const httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) => {
		const page = Number((options.qs as { page: number }).page);
		events.push(`request ${page}`);
		const status = await new Promise<number>((resolve) => waiting.push({ page, answer: resolve }));
		const body =
			status === 200
				? { data: [{ model: `m${page}` }], total: TOTAL_PAGES, total_pages: TOTAL_PAGES }
				: { error: { message: 'boom' } };
		return { statusCode: status, headers: {}, body: JSON.stringify(body) };
	};
	const ctx = mock<IExecuteFunctions>();
	Object.assign(ctx, { helpers: { httpRequestWithAuthentication } });
	/** Answers the oldest waiting request once it has arrived. */
	const answerNext = async (status = 200) => {
		for (let spin = 0; !waiting.length && spin < 100; spin++) await new Promise(setImmediate);
		const next = waiting.shift();
		if (!next) throw new Error('no request is waiting');
		next.answer(status);
		return next.page;
	};
	const settle = async () => {
		for (let spin = 0; spin < 20; spin++) await new Promise(setImmediate);
	};
	return { ctx, answerNext, settle, waiting };
}

describe('spend-log paging', () => {
	it('requests page n+1 before folding page n, and holds no more than one page ahead', async () => {
		const events: string[] = [];
		const { ctx, answerNext, settle, waiting } = pagedContext(events);
		const done = foldSpendLogPages(ctx, connection, range, (rows) =>
			events.push(`fold ${String(rows[0].model).slice(1)}`),
		);
		for (let page = 1; page <= TOTAL_PAGES; page++) {
			expect(await answerNext()).toBe(page);
			await settle();
			// Never two requests in flight: the next one is asked for only once this one answered.
			expect(waiting.length).toBeLessThanOrEqual(1);
		}
		const stats = await done;
		expect(events).toEqual([
			'request 1',
			'request 2',
			'fold 1',
			'request 3',
			'fold 2',
			'request 4',
			'fold 3',
			'fold 4',
		]);
		expect(stats).toMatchObject({ pagesRead: 4, rowsRead: 4, rowsExpected: 4, retries: 0 });
	});

	it('asks for nothing past a page that failed twice, and folds nothing after it', async () => {
		const events: string[] = [];
		const { ctx, answerNext, settle } = pagedContext(events);
		const done = foldSpendLogPages(
			ctx,
			connection,
			range,
			(rows) => events.push(`fold ${String(rows[0].model).slice(1)}`),
			{ retryDelayMs: 1 },
		);
		const failure = expect(done).rejects.toThrow(/page 2 of 4 failed twice/);
		await answerNext(); // page 1
		await answerNext(500); // page 2, first try
		await answerNext(500); // page 2, the retry
		await failure;
		await settle();
		expect(events).toEqual(['request 1', 'request 2', 'fold 1', 'request 2']);
	});
});
