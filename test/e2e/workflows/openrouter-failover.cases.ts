/**
 * workflows/openrouter-failover.json in a real n8n: the published gateway webhook answers OpenAI
 * chat.completion through LiteLLM, and through OpenRouter once the LiteLLM simulator is stopped.
 */
import { KEYS, WORKFLOW_IDS, type World } from './setup';

const PATH = 'llm-gateway/v1/chat/completions';

interface Completion {
	object: string;
	model: string;
	choices: Array<{ index: number; message: { role: string; content: string | null }; finish_reason: string }>;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	route: string;
	route_reason: string;
	cost_usd: number | null;
	error?: { message: string; type: string; code: string | null };
}

export function gatewayCases(world: () => World): void {
	const auth = { authorization: `Bearer ${KEYS.gatewayToken}` };
	const request = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello gateway' }], temperature: 0.1 };

	async function call(w: World, body: unknown, headers: Record<string, string> = auth) {
		const res = await w.suite.n8n.webhook<Completion>(PATH, body, { headers });
		w.outputs.push(JSON.stringify(res.body));
		return res;
	}

	it('is published; without the gateway token it refuses', async () => {
		const w = world();
		await w.suite.n8n.activateWorkflow(WORKFLOW_IDS.gateway);
		const res = await call(w, request, {});
		expect(res.status).toBe(403);
	});

	it('answers through LiteLLM in chat.completion shape, with route and cost', async () => {
		const w = world();
		const before = w.litellm.ledger.filter((e) => e.path === '/chat/completions').length;
		const res = await call(w, request);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			object: 'chat.completion',
			model: 'gpt-4o-mini',
			choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
			route: 'litellm',
		});
		expect(typeof res.body.choices[0].message.content).toBe('string');
		expect(res.body.usage.total_tokens).toBe(res.body.usage.prompt_tokens + res.body.usage.completion_tokens);
		expect(typeof res.body.cost_usd).toBe('number');
		const calls = w.litellm.ledger.filter((e) => e.path === '/chat/completions').slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].body).toMatchObject({ model: 'gpt-4o-mini', messages: request.messages, temperature: 0.1 });
	});

	it('a request without messages answers 400 in OpenAI\'s error shape', async () => {
		const res = await call(world(), { model: 'gpt-4o-mini' });
		expect(res.status).toBe(400);
		expect(res.body.error).toMatchObject({ type: 'invalid_request_error' });
	});

	it('with LiteLLM stopped, answers through OpenRouter (mapped model and fallbacks)', async () => {
		const w = world();
		await w.litellm.stop();
		const before = w.openRouter.ledger.filter((e) => e.path === '/api/v1/chat/completions').length;
		const res = await call(w, request);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ object: 'chat.completion', route: 'openrouter', choices: [{ message: { role: 'assistant' } }] });
		expect(res.body.route_reason).toMatch(/.+/);
		const calls = w.openRouter.ledger.filter((e) => e.path === '/api/v1/chat/completions').slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].body).toMatchObject({ model: 'openai/gpt-4o-mini', models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'], messages: request.messages });
	});
}
