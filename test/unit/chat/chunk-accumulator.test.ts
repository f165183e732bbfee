import { ChunkAccumulator } from '../../../nodes/shared/chat/chunk-accumulator';

const base = {
	id: 'chatcmpl-1',
	created: 1,
	model: 'gpt-4o-mini',
	object: 'chat.completion.chunk',
};

describe('ChunkAccumulator', () => {
	it('joins text deltas, returns each delta, keeps finish reason and usage', () => {
		const acc = new ChunkAccumulator();
		const deltas = [
			acc.add({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' } }] }),
			acc.add({ ...base, choices: [{ index: 0, delta: { content: 'lo' } }] }),
			acc.add({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
			acc.add({
				...base,
				choices: [{ index: 0, delta: {} }],
				usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, cost: 0.00001 },
			}),
		];
		expect(deltas).toEqual(['Hel', 'lo', '', '']);
		expect(acc.completion()).toEqual({
			id: 'chatcmpl-1',
			created: 1,
			model: 'gpt-4o-mini',
			provider: undefined,
			object: 'chat.completion',
			choices: [
				{
					index: 0,
					finish_reason: 'stop',
					message: { role: 'assistant', content: 'Hello' },
				},
			],
			usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, cost: 0.00001 },
		});
	});

	it('builds tool calls from pieces by index; content is null when only tools came', () => {
		const acc = new ChunkAccumulator();
		acc.add({
			...base,
			choices: [
				{
					delta: {
						tool_calls: [
							{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } },
						],
					},
				},
			],
		});
		acc.add({
			...base,
			choices: [
				{
					delta: {
						tool_calls: [
							{
								index: 0,
								id: 'call_a',
								type: 'function',
								function: { name: 'a', arguments: '{"x"' },
							},
						],
					},
				},
			],
		});
		acc.add({
			...base,
			choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] } }],
		});
		acc.add({ ...base, choices: [{ delta: {}, finish_reason: 'tool_calls' }] });
		const message = acc.completion().choices![0].message!;
		expect(message.content).toBeNull();
		expect(message.tool_calls).toEqual([
			{ id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
			{ id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } },
		]);
		expect(acc.completion().choices![0].finish_reason).toBe('tool_calls');
	});
});
