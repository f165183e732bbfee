/**
 * Smoke test of the e2e harness and of the package in a real n8n 2.41.1: the packed tarball installs into
 * `.n8n/nodes`, n8n registers every node and credential type of package.json's `n8n` section, and the
 * LiteLLM credential's test request reaches a loopback server with the stored key (pass) or a wrong one
 * (fail), tested through n8n's own credential-test API.
 */
import { join } from 'node:path';

import { SimServer } from '../simulators/http/server';
import { type N8nSuite, setupN8n } from './harness';

const fixture = (name: string) => join(__dirname, 'fixtures', name);

const GOOD_KEY = 'sk-e2e-smoke-good-key-0001';
const WRONG_KEY = 'sk-e2e-smoke-wrong-key-0002';

/** GET /v1/models as LiteLLM answers it: the list for a known key, 401 token_not_found_in_db otherwise. */
function startModelsServer(): SimServer {
	return new SimServer('litellm-models').route('GET', '/v1/models', (req) =>
		req.headers.authorization === `Bearer ${GOOD_KEY}`
			? { status: 200, body: { data: [], object: 'list' } }
			: {
					status: 401,
					body: {
						error: {
							message: 'Authentication Error, Invalid proxy server token passed.',
							type: 'token_not_found_in_db',
							param: 'key',
							code: '401',
						},
					},
				},
	);
}

describe('e2e smoke: the packed package in a real n8n', () => {
	let suite: N8nSuite;
	const models = startModelsServer();

	beforeAll(async () => {
		suite = await setupN8n();
		await models.start();
	});

	afterAll(async () => {
		await models.stop();
		await suite?.teardown();
	});

	it('promises at least the two credentials and the package prefix', () => {
		const { types } = suite.prepared;
		expect(types.packageName).toBe('n8n-nodes-litellm');
		expect(types.credentialTypes).toEqual(
			expect.arrayContaining(['liteLlmApi', 'liteLlmOpenRouterApi']),
		);
		for (const nodeType of types.nodeTypes)
			expect(nodeType).toMatch(/^n8n-nodes-litellm\.[a-z][A-Za-z]+$/);
	});

	it('n8n export:nodes lists every node type of package.json under the package prefix', async () => {
		const exported = await suite.n8n.exportNodes();
		const names = new Set(exported.map((n) => n.name));
		expect(names.has('n8n-nodes-base.manualTrigger')).toBe(true); // n8n's own nodes are there too
		for (const nodeType of suite.prepared.types.nodeTypes) expect(names).toContain(nodeType);
		// Nothing of ours loads under another prefix (CUSTOM.* would mean the wrong install location).
		const ours = exported.filter((n) => /litellm/i.test(n.name)).map((n) => n.name);
		for (const name of ours) expect(name.startsWith('n8n-nodes-litellm.')).toBe(true);
	});

	describe('with the server running', () => {
		beforeAll(async () => {
			await suite.n8n.start();
			process.stderr.write(`[e2e] n8n ready in ${suite.n8n.startupMs} ms\n`);
		});

		it('answers the public API with a key made through the owner session', async () => {
			const res = await suite.n8n.api<{ data: unknown[] }>('GET', '/workflows');
			expect(res.status).toBe(200);
			expect(Array.isArray(res.body.data)).toBe(true);
		});

		it('knows every credential type of package.json', async () => {
			for (const type of suite.prepared.types.credentialTypes) {
				expect({ type, known: await suite.n8n.hasCredentialType(type) }).toEqual({
					type,
					known: true,
				});
			}
			expect(await suite.n8n.hasCredentialType('liteLlmNoSuchApi')).toBe(false);
		});

		it('tests a stored liteLlmApi credential: passes with the right key, fails with a wrong one', async () => {
			await suite.n8n.importCredentials([
				{
					id: 'e2eLiteLlmGood',
					name: 'LiteLLM good',
					type: 'liteLlmApi',
					data: { baseUrl: models.url, apiKey: GOOD_KEY },
				},
				// A trailing slash on the base URL must not matter (the credential trims it).
				{
					id: 'e2eLiteLlmWrong',
					name: 'LiteLLM wrong',
					type: 'liteLlmApi',
					data: { baseUrl: `${models.url}/`, apiKey: WRONG_KEY },
				},
			]);

			const good = await suite.n8n.testCredential('e2eLiteLlmGood');
			expect(good.status).toBe('OK');

			const wrong = await suite.n8n.testCredential('e2eLiteLlmWrong');
			expect(wrong.status).toBe('Error');
			expect(wrong.message).not.toContain(WRONG_KEY);
			process.stderr.write(`[e2e] wrong-key test message: ${wrong.message}\n`);

			// n8n sent each stored key as a Bearer token (it may repeat a failed test request).
			const calls = models.calls('/v1/models', 'GET');
			const byKey = (key: string) =>
				calls.filter((c) => c.headers.authorization === `Bearer ${key}`);
			expect(byKey(GOOD_KEY).map((c) => c.status)).toEqual([200]);
			expect(byKey(WRONG_KEY).length).toBeGreaterThanOrEqual(1);
			expect(byKey(WRONG_KEY).every((c) => c.status === 401)).toBe(true);
			expect(byKey(GOOD_KEY).length + byKey(WRONG_KEY).length).toBe(calls.length);
		});

		it('n8n execute runs an imported workflow beside the running server (own broker port)', async () => {
			const id = await suite.n8n.importWorkflow(fixture('manual-set.workflow.json'));
			expect(id).toBe('e2eManualSet0001');
			const result = await suite.n8n.execute(id);
			expect(result.exitCode).toBe(0);
			expect(result.run?.status).toBe('success');
			const items = result.run?.data.resultData.runData.Set[0].data?.main[0];
			expect(items?.map((i) => i.json)).toEqual([{ greeting: 'hello e2e' }]);
		});

		it('n8n execute of a failing workflow exits 1 and still yields the run with the error', async () => {
			const id = await suite.n8n.importWorkflow(fixture('manual-fail.workflow.json'));
			const result = await suite.n8n.execute(id);
			expect(result.exitCode).toBe(1);
			expect(result.run?.data.resultData.error?.message).toBe('e2e planned failure');
			expect(result.run?.data.resultData.lastNodeExecuted).toBe('Stop and Error');
		});

		it('an activated webhook workflow answers on /webhook/<path>', async () => {
			const id = await suite.n8n.importWorkflow(fixture('webhook-echo.workflow.json'));
			await suite.n8n.activateWorkflow(id);
			const res = await suite.n8n.webhook<{ echo: string }>('e2e-echo', { name: 'webhook' });
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ echo: 'hello webhook' });
		});

		it('a credential created through the public API tests the same way', async () => {
			const id = await suite.n8n.createCredential({
				name: 'LiteLLM via API',
				type: 'liteLlmApi',
				data: { baseUrl: models.url, apiKey: GOOD_KEY },
			});
			expect(await suite.n8n.testCredential(id)).toMatchObject({ status: 'OK' });
		});
	});
});
