/**
 * Server-sent events as LiteLLM and OpenRouter send a chat stream: `data: <json>` events separated by a blank
 * line, comment lines (`: OPENROUTER PROCESSING`) as keep-alives, `data: [DONE]` at the end. Only `data`
 * matters here; other fields (event, id, retry) are read past.
 */
import { TimeoutError, type Upstream } from '../errors/classes';

/** The `data` of each event, in order; stops at `[DONE]`. Lines may be split anywhere across chunks. */
export async function* sseData(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	let buffer = '';
	let data: string[] = [];
	for await (const chunk of source) {
		buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		let newline: number;
		while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
			const line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
			if (line === '') {
				if (data.length) {
					const payload = data.join('\n');
					data = [];
					if (payload === '[DONE]') return;
					yield payload;
				}
				continue;
			}
			if (line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			if (field !== 'data') continue;
			const value = colon < 0 ? '' : line.slice(colon + 1);
			data.push(value.startsWith(' ') ? value.slice(1) : value);
		}
	}
	// A stream cut off without the closing blank line still hands over its last complete event.
	if (buffer.startsWith('data:')) data.push(buffer.slice(5).trimStart());
	if (data.length && data.join('\n') !== '[DONE]') yield data.join('\n');
}

/**
 * The same values, failing with a TimeoutError when none arrives for `stallMs`: a proxy that keeps the
 * connection open but sends nothing more would otherwise hold the item forever. `onStall` closes the source.
 */
export async function* withStallTimeout<T>(
	source: AsyncIterable<T>,
	stallMs: number,
	upstream: Upstream,
	onStall: () => void,
): AsyncGenerator<T> {
	const iterator = source[Symbol.asyncIterator]();
	for (;;) {
		// AbortSignal.timeout's timer does not keep the process alive and needs no clearing.
		const timeout = AbortSignal.timeout(stallMs);
		const stalled = new Promise<'stalled'>((resolve) =>
			timeout.addEventListener('abort', () => resolve('stalled'), { once: true }),
		);
		const next = await Promise.race([iterator.next(), stalled]);
		if (next === 'stalled') {
			onStall();
			throw new TimeoutError({
				upstream,
				message: `the stream stalled: nothing arrived for ${stallMs} ms`,
				causeCode: 'ESTREAMSTALL',
			});
		}
		if (next.done) return;
		yield next.value;
	}
}
