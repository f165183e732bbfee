import { Readable } from 'node:stream';

import { TimeoutError } from '../../../nodes/shared/errors/classes';
import { sseData, withStallTimeout } from '../../../nodes/shared/transport/sse-reader';

async function collect(source: AsyncIterable<string>): Promise<string[]> {
	const out: string[] = [];
	for await (const value of source) out.push(value);
	return out;
}

/** The same bytes cut into pieces of `size`, as a socket may deliver them. */
function pieces(text: string, size: number): Buffer[] {
	const bytes = Buffer.from(text, 'utf8');
	const out: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
	return out;
}

describe('sseData', () => {
	const stream =
		': OPENROUTER PROCESSING\n\n' +
		'data: {"a":1}\n\n' +
		'event: message\nid: 7\ndata: {"b":"é…"}\n\n' +
		'data: line one\ndata: line two\n\n' +
		'data:{"c":3}\r\n\r\n' +
		'data: [DONE]\n\n' +
		'data: {"after":"done"}\n\n';

	it('yields each event’s data in order, skips comments and other fields, stops at [DONE]', async () => {
		expect(await collect(sseData(Readable.from([stream])))).toEqual([
			'{"a":1}',
			'{"b":"é…"}',
			'line one\nline two',
			'{"c":3}',
		]);
	});

	it.each([1, 2, 3, 7])(
		'gives the same events when the bytes arrive %i at a time',
		async (size) => {
			const whole = await collect(sseData(Readable.from([stream])));
			expect(await collect(sseData(Readable.from(pieces(stream, size))))).toEqual(whole);
		},
	);

	it('hands over a last event cut off without its blank line', async () => {
		expect(await collect(sseData(Readable.from(['data: {"a":1}\n\ndata: {"b":2}'])))).toEqual([
			'{"a":1}',
			'{"b":2}',
		]);
	});
});

describe('withStallTimeout', () => {
	async function* paced(delays: number[]): AsyncGenerator<number> {
		for (const [i, ms] of delays.entries()) {
			await new Promise((resolve) => setTimeout(resolve, ms));
			yield i;
		}
	}

	it('passes values through while they keep coming', async () => {
		const onStall = jest.fn();
		const out: number[] = [];
		for await (const v of withStallTimeout(paced([5, 5, 5]), 200, 'litellm', onStall)) out.push(v);
		expect(out).toEqual([0, 1, 2]);
		expect(onStall).not.toHaveBeenCalled();
	});

	it('fails with a TimeoutError and closes the source when a gap is longer than the limit', async () => {
		const onStall = jest.fn();
		const out: number[] = [];
		const run = (async () => {
			for await (const v of withStallTimeout(paced([5, 400]), 50, 'litellm', onStall)) out.push(v);
		})();
		await expect(run).rejects.toBeInstanceOf(TimeoutError);
		await expect(run).rejects.toMatchObject({ kind: 'timeout', causeCode: 'ESTREAMSTALL' });
		expect(out).toEqual([0]);
		expect(onStall).toHaveBeenCalledTimes(1);
	});
});
