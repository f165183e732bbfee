/**
 * workflows/key-rotation.json (and key-rotation-error.json) in a real n8n: virtual and provider keys rotated
 * with the rotation invariants (docs/architecture.md), a failed rotation reported masked, a failed listing reported beside
 * what did rotate, a crash reported by the error workflow.
 */
import { liteLlmKeyHash } from '../../../nodes/shared/redact';
import { parseLease } from '../../../nodes/shared/rotation/lease';
import { infisicalErrorBody } from '../../simulators/infisical/errors';
import { DAY, ENV, FOLDER, itemsOf, KEYS, PROJECT, run, shipped, SLACK_PATHS, WORKFLOW_IDS, type World } from './setup';

interface Event {
	at: number;
	what: string;
}

/** One timeline across the simulators, by arrival time (each rotation step awaits the previous answer). */
function timeline(w: World, marks: Record<string, number>): string[] {
	const events: Event[] = [
		...w.providers.ledger.slice(marks.providers).map((e) => ({ at: e.at, what: `provider ${e.method} ${e.path}` })),
		...w.openRouter.ledger.slice(marks.openRouter).map((e) => ({ at: e.at, what: `openrouter ${e.method} ${e.path.replace(/[0-9a-f]{64}/, '<hash>')}` })),
		...w.litellm.ledger.slice(marks.litellm).map((e) => ({ at: e.at, what: `litellm ${e.method} ${e.path}` })),
		...w.infisical.ledger
			.slice(marks.infisical)
			.filter((e) => e.method !== 'GET' && !e.path.startsWith('/api/v1/auth'))
			.map((e) => ({ at: e.at, what: `infisical ${e.method} ${decodeURIComponent(e.path)}` })),
	];
	return events.sort((a, b) => a.at - b.at).map((e) => e.what);
}

function marks(w: World): Record<string, number> {
	return { providers: w.providers.ledger.length, openRouter: w.openRouter.ledger.length, litellm: w.litellm.ledger.length, infisical: w.infisical.ledger.length };
}

/** `steps` occur in this order in `events` (other events may sit between them). */
function inOrder(events: string[], steps: Array<string | RegExp>): number[] {
	let from = 0;
	return steps.map((step) => {
		const index = events.findIndex((e, i) => i >= from && (typeof step === 'string' ? e === step : step.test(e)));
		if (index < 0) throw new Error(`step ${String(step)} not found after position ${from} in:\n${events.join('\n')}`);
		from = index + 1;
		return index;
	});
}

async function chatStatus(w: World, key: string, model = 'gpt-4o-mini'): Promise<number> {
	const res = await fetch(`${w.litellm.url}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
	});
	await res.text();
	return res.status;
}

export function keyRotationCases(world: () => World): void {
	it('rotates the due virtual key and Perplexity key; OpenRouter\'s mint fails → old key kept, failure reported masked', async () => {
		const w = world();
		// OpenRouter's key API is down for this run.
		w.openRouter.faults.add({ kind: 'status', status: 503, body: { error: { code: 503, message: 'Service temporarily unavailable' } } }, { method: 'POST', path: '/api/v1/keys', times: 5 });
		const m = marks(w);
		const result = await run(w, WORKFLOW_IDS.rotation);
		w.openRouter.faults.clear(); // the key API is back for the next run
		expect(result.exitCode).toBe(0);
		expect(itemsOf(result, 'Virtual keys due').map((i) => i.secretName)).toEqual(['OPEN_WEBUI_LITELLM_KEY']);
		expect(itemsOf(result, 'Provider keys due').map((i) => i.secretName)).toEqual(['OPENROUTER_API_KEY', 'PERPLEXITYAI_API_KEY']);

		// Virtual key: new key in Infisical, works in LiteLLM; the old one retired after the 24 h grace period.
		const newVirtual = w.secretValue('OPEN_WEBUI_LITELLM_KEY')!;
		expect(newVirtual).not.toBe(KEYS.openWebUi);
		expect(await chatStatus(w, newVirtual)).toBe(200);
		const oldRow = w.litellm.keyRow(KEYS.openWebUi)!;
		const left = Date.parse(oldRow.expires!) - Date.now();
		expect(left).toBeGreaterThan(23 * 3_600_000);
		expect(left).toBeLessThanOrEqual(24 * 3_600_000);
		// The new key carries the old one's settings and, once the old key let go of it, its alias.
		expect(w.litellm.keyRow(newVirtual)).toMatchObject({ models: ['gpt-4o-mini'], max_budget: 5, key_alias: 'open-webui' });
		expect(oldRow.key_alias).toMatch(/^open-webui-retired-/);

		// Perplexity: minted, checked, stored, LiteLLM switched and proven by a call, old key revoked, in that order.
		const newPplx = w.secretValue('PERPLEXITYAI_API_KEY')!;
		expect(newPplx).not.toBe(KEYS.perplexity);
		expect(w.providers.revoked('perplexity')).toEqual([KEYS.perplexity]);
		expect(w.litellm.ctx.state.credentials.get('perplexity-byok')?.credential_values.api_key).toBe(newPplx);
		expect(await chatStatus(w, KEYS.gatewayVirtual, 'sonar')).not.toBe(500);
		const events = timeline(w, m);
		inOrder(events, [
			/^infisical POST \/api\/v4\/secrets\/PERPLEXITYAI_API_KEY_ROTATION_LEASE_\d+$/, // claims a generation of the lease chain
			'provider POST /perplexity/generate_auth_token', // create
			'provider POST /perplexity/chat/completions', // verify at the provider
			'infisical PATCH /api/v4/secrets/PERPLEXITYAI_API_KEY', // persist
			'litellm PATCH /credentials/perplexity-byok', // switch
			'litellm POST /chat/completions', // proven through LiteLLM
			'provider POST /perplexity/revoke_auth_token', // revoke
			/^infisical PATCH \/api\/v4\/secrets\/PERPLEXITYAI_API_KEY_ROTATION_LEASE_\d+$/, // released (kept as the chain's head)
		]);
		// Virtual key: create → verify → persist → revoke (retire) in that order.
		inOrder(events, [
			/^infisical POST \/api\/v4\/secrets\/OPEN_WEBUI_LITELLM_KEY_ROTATION_LEASE_\d+$/,
			'litellm POST /key/generate',
			'litellm POST /chat/completions',
			'infisical PATCH /api/v4/secrets/OPEN_WEBUI_LITELLM_KEY',
			'litellm POST /key/update',
			/^infisical PATCH \/api\/v4\/secrets\/OPEN_WEBUI_LITELLM_KEY_ROTATION_LEASE_\d+$/,
		]);

		// OpenRouter: nothing changed.
		expect(w.secretValue('OPENROUTER_API_KEY')).toBe(KEYS.openRouterProvider);
		expect(w.litellm.ctx.state.credentials.get('openrouter-byok')?.credential_values.api_key).toBe(KEYS.openRouterProvider);
		expect(w.openRouterKeys.isActive(KEYS.openRouterProvider)).toBe(true);

		const messages = w.messages(SLACK_PATHS.rotation);
		expect(messages).toHaveLength(1);
		const text = messages[0].text ?? '';
		expect(text).toMatch(/^:x: Key rotation: 1 failed, 2 rotated/);
		expect(text).toMatch(/OPEN_WEBUI_LITELLM_KEY \(virtual key\): sk-\.\.\.[a-z0-9]{4} → sk-\.\.\.[\w-]{4}/); // LiteLLM keys are URL-safe base64 (_ and - occur)
		expect(text).toMatch(/PERPLEXITYAI_API_KEY \(provider key, perplexity\): pplx-\.\.\.0001 → pplx-\.\.\.\w{4} .*old key revoked/);
		expect(text).toMatch(/OPENROUTER_API_KEY \(provider key\): .*(503|unavailable)/i);
	});

	it('next run (same month, same rotation id): only the OpenRouter key is still due; the stopped rotation resumes and completes', async () => {
		const w = world();
		const m = marks(w);
		const result = await run(w, WORKFLOW_IDS.rotation);
		expect(result.exitCode).toBe(0);
		expect(itemsOf(result, 'Virtual keys due')).toEqual([{ nothingDue: true }]);
		expect(itemsOf(result, 'Provider keys due').map((i) => i.secretName)).toEqual(['OPENROUTER_API_KEY']);
		const newKey = w.secretValue('OPENROUTER_API_KEY')!;
		expect(newKey).not.toBe(KEYS.openRouterProvider);
		expect(w.openRouterKeys.isActive(newKey)).toBe(true);
		expect(w.openRouterKeys.isActive(KEYS.openRouterProvider)).toBe(false); // deleted by hash
		expect(w.litellm.ctx.state.credentials.get('openrouter-byok')?.credential_values.api_key).toBe(newKey);
		inOrder(timeline(w, m), [
			'openrouter POST /api/v1/keys',
			'openrouter GET /api/v1/key',
			'infisical PATCH /api/v4/secrets/OPENROUTER_API_KEY',
			'litellm PATCH /credentials/openrouter-byok',
			'litellm POST /chat/completions',
			'openrouter DELETE /api/v1/keys/<hash>',
		]);
		const deletes = w.openRouter.ledger.filter((e) => e.method === 'DELETE').map((e) => e.path);
		expect(deletes).toContain(`/api/v1/keys/${liteLlmKeyHash(KEYS.openRouterProvider)}`); // sha256, by hash, never the key
		const added = w.messages(SLACK_PATHS.rotation).slice(1);
		expect(added).toHaveLength(1);
		expect(added[0].text).toMatch(/^:white_check_mark: Key rotation: 1 rotated\. OPENROUTER_API_KEY/);
	});

	it('third run: nothing due, nothing sent', async () => {
		const w = world();
		const before = w.messages(SLACK_PATHS.rotation).length;
		const result = await run(w, WORKFLOW_IDS.rotation);
		expect(result.exitCode).toBe(0);
		expect(itemsOf(result, 'Summary')).toHaveLength(0);
		expect(w.messages(SLACK_PATHS.rotation)).toHaveLength(before);
	});

	it('a virtual key rotates, then listing provider keys fails: the run goes on and the summary says what changed and what failed', async () => {
		const w = world();
		// Another service's virtual key, 60 days old, in a copy of the workflow whose Settings name it alone.
		const oldKey = 'sk-e2e-partial-svc-virtual-4d5e6f7a';
		w.litellm.addVirtualKey({ key: oldKey, key_alias: 'partial-svc', models: ['gpt-4o-mini'] }).created_at = new Date(Date.now() - 60 * DAY).toISOString();
		w.infisical.seedSecret({ projectId: PROJECT, environment: ENV, secretPath: FOLDER, secretKey: 'PARTIAL_SVC_LITELLM_KEY', secretValue: oldKey, secretComment: '' });
		const copy = await shipped('key-rotation.json', {
			slackWebhookUrl: w.slack.webhookUrl(SLACK_PATHS.rotation),
			virtualKeys: [{ alias: 'partial-svc', secretName: 'PARTIAL_SVC_LITELLM_KEY', verifyModel: 'gpt-4o-mini' }],
		});
		copy.id = 'keyRotationPart1';
		await w.suite.n8n.importWorkflow(copy);
		// Once the virtual key's rotation has released its lease, Infisical answers 500 to the listing of the folder
		// (only that route: reading one secret still works). The rotation lists the folder itself to find its lease.
		const rotated = () =>
			w.infisical
				.secrets(PROJECT, ENV, FOLDER)
				.some((s) => /^PARTIAL_SVC_LITELLM_KEY_ROTATION_LEASE_\d+$/.test(s.secretKey) && parseLease(s.secretValue)?.released === true);
		w.infisical.server.faults.add({ kind: 'status', status: 500, body: infisicalErrorBody(500, 'internal error') }, { method: 'GET', path: '/api/v4/secrets', exact: true, when: rotated });
		const before = { rotation: w.messages(SLACK_PATHS.rotation).length, crash: w.messages(SLACK_PATHS.rotationCrash).length };
		const result = await run(w, 'keyRotationPart1');
		w.infisical.server.faults.clear();

		expect(result.exitCode).toBe(0);
		const newKey = w.secretValue('PARTIAL_SVC_LITELLM_KEY')!;
		expect(newKey).not.toBe(oldKey);
		expect(await chatStatus(w, newKey)).toBe(200);
		expect(itemsOf(result, 'List provider keys')).toEqual([expect.objectContaining({ error: expect.any(String) })]);
		expect(itemsOf(result, 'Provider keys due')).toEqual([expect.objectContaining({ error: expect.any(String) })]); // passed through, not a key

		const messages = w.messages(SLACK_PATHS.rotation).slice(before.rotation);
		expect(messages).toHaveLength(1);
		const text = messages[0].text ?? '';
		expect(text).toMatch(/^:x: Key rotation: 1 failed, 1 rotated\./);
		expect(text).toMatch(/PARTIAL_SVC_LITELLM_KEY \(virtual key\): sk-\.\.\.6f7a → sk-\.\.\.[\w-]{4}/);
		expect(text).toMatch(/Listing provider keys failed, so no provider key was checked or rotated: Infisical failed with a server error \(500\)/);
		const all = [...messages, ...w.messages(SLACK_PATHS.rotationCrash).slice(before.crash)];
		for (const m of all) expect(`${m.text} ${JSON.stringify(m.blocks)}`).not.toMatch(/No key was changed|upstream LLM provider/);
		w.outputs.push(JSON.stringify(messages));
	});

	it('a crash in a scheduled run (a list in Settings given as one object) runs the published error workflow: Slack gets the crash report', async () => {
		const w = world();
		// n8n runs error workflows for production executions only. The shipped workflow with its schedule set
		// to every 5 seconds (as a user would set it), imported beside the original and
		// published, gives a real scheduled run (mode 'trigger') within seconds. A failed listing or rotation no
		// longer stops the run (the case above), so the crash is a Settings mistake: `virtualKeys` given as one
		// object instead of a list (n8n refuses to publish invalid JSON, so it cannot be that).
		const scheduled = await shipped('key-rotation.json', {
			slackWebhookUrl: w.slack.webhookUrl(SLACK_PATHS.rotation),
			virtualKeys: { alias: 'open-webui', secretName: 'OPEN_WEBUI_LITELLM_KEY', verifyModel: 'gpt-4o-mini' },
		});
		const trigger = (scheduled.nodes as Array<{ name: string; parameters: { rule?: { interval: Array<{ expression?: string }> } } }>).find((n) => n.name === 'Monthly, 1st at 03:00')!;
		trigger.parameters.rule!.interval[0].expression = '*/5 * * * * *';
		scheduled.id = 'keyRotationSched1';
		await w.suite.n8n.importWorkflow(scheduled);
		await w.suite.n8n.activateWorkflow(WORKFLOW_IDS.rotationError);
		const before = w.messages(SLACK_PATHS.rotation).length;
		await w.suite.n8n.activateWorkflow('keyRotationSched1');
		const deadline = Date.now() + 45_000;
		while (!w.messages(SLACK_PATHS.rotationCrash).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
		const off = await w.suite.n8n.api('POST', '/workflows/keyRotationSched1/deactivate');
		expect(off.status).toBe(200);
		await new Promise((r) => setTimeout(r, 1000));
		const crash = w.messages(SLACK_PATHS.rotationCrash);
		expect(crash.length).toBeGreaterThanOrEqual(1);
		// The node and its error, and no claim about what changed beyond what the report can know.
		expect(crash[0].text).toMatch(/^:rotating_light: LiteLLM: rotate keys monthly crashed at "Virtual keys due": .*not iterable.*\. Any key rotated before "Virtual keys due" in this run stays rotated; this report cannot see which, if any/);
		expect(crash[0].text).not.toMatch(/No key was changed/);
		expect(JSON.stringify(crash[0].blocks)).toContain('mode trigger');
		// The failing run sent no summary (it stopped before it), and the logs of the server carry the run.
		expect(w.messages(SLACK_PATHS.rotation).length).toBe(before);
		w.outputs.push(JSON.stringify(crash));
	});
}
