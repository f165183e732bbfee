/**
 * The harness's own tests, against the fixture package in test/engine/harness/fixture-package (a node that
 * makes authenticated requests, three credential types: generic header auth, a function `authenticate`, and
 * `preAuthentication` with an expirable token). The fixture server is a SimServer answering what the
 * fixture credentials expect; it stands for no real service.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';

import { SimServer } from '../simulators/http/server';
import { loadPackage, runNode, runWorkflow, scanForSecrets, type RunNodeOptions } from './harness';

const FIXTURE = path.join(__dirname, 'harness/fixture-package');
const HEADER_KEY = 'sk-fixture-header-4f1c9a77d2';
const FUNCTION_KEY = 'sk-fixture-function-8b3e0c51aa';
const CLIENT_SECRET = 'cs-fixture-9d2f7e6b41';

const server = new SimServer('fixture');
let issued: string[] = [];
let validTokens = new Set<string>();

function authorized(headers: Record<string, string | string[] | undefined>): boolean {
	const auth = headers.authorization;
	if (auth === `Bearer ${HEADER_KEY}` || headers['x-api-key'] === FUNCTION_KEY) return true;
	return typeof auth === 'string' && validTokens.has(auth.replace(/^Bearer /, ''));
}

beforeAll(async () => {
	server
		.route('POST', '/login', (req) => {
			const body = req.body as { clientId?: string; clientSecret?: string };
			if (body.clientId !== 'client-1' || body.clientSecret !== CLIENT_SECRET) {
				return { status: 401, body: { message: 'bad client' } };
			}
			const token = `tok-${issued.length + 1}`;
			issued.push(token);
			validTokens.add(token);
			return { status: 200, body: { accessToken: token } };
		})
		// Echoes what it learnt, never the credential itself.
		.route('POST', '/echo', (req) =>
			authorized(req.headers)
				? { status: 200, body: { ok: true, tenant: req.query.get('tenant'), received: req.body } }
				: { status: 401, body: { message: 'unauthorized' } },
		)
		// A deliberately leaky endpoint: the positive control for scanForSecrets.
		.route('POST', '/leak', (req) => ({
			status: 200,
			body: { youSent: req.headers.authorization },
		}))
		.route('POST', '/fail', () => ({
			status: 500,
			body: { error: { message: 'upstream exploded' } },
		}));
	await server.start();
});

afterAll(async () => {
	await server.stop();
});

beforeEach(() => {
	server.ledger.length = 0;
	server.faults.clear();
	issued = [];
	validTokens = new Set();
});

const headerCredentials = () => ({ fixtureHeaderApi: { baseUrl: server.url, apiKey: HEADER_KEY } });

function fixture(overrides: Partial<RunNodeOptions> = {}): RunNodeOptions {
	return {
		package: FIXTURE,
		nodeType: 'harnessFixture',
		parameters: { authentication: 'header', path: '/echo' },
		credentials: headerCredentials(),
		...overrides,
	};
}

describe('loadPackage', () => {
	it('loads node and credential types through PackageDirectoryLoader, once per root', async () => {
		const first = loadPackage(FIXTURE);
		const pkg = await first;
		expect(pkg.packageName).toBe('n8n-nodes-harness-fixture');
		expect(pkg.nodeTypeNames).toEqual(['harnessFixture']);
		expect(pkg.credentialTypeNames.sort()).toEqual([
			'fixtureFunctionApi',
			'fixtureHeaderApi',
			'fixtureTokenApi',
		]);
		expect(pkg.fullNodeType('harnessFixture')).toBe('n8n-nodes-harness-fixture.harnessFixture');
		expect(
			pkg.nodeTypes.getByNameAndVersion('n8n-nodes-harness-fixture.harnessFixture', 1).description
				.name,
		).toBe('harnessFixture');
		expect(await loadPackage(FIXTURE)).toBe(pkg);
	});

	it('names the missing built files instead of a bare "Cannot find module"', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'harness-missing-'));
		try {
			writeFileSync(
				path.join(dir, 'package.json'),
				JSON.stringify({
					name: 'n8n-nodes-missing',
					version: '0.0.1',
					n8n: { nodes: ['dist/nodes/X/X.node.js'] },
				}),
			);
			await expect(loadPackage(dir)).rejects.toThrow(/dist\/nodes\/X\/X\.node\.js.*npm run build/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('runNode through WorkflowExecute', () => {
	it('sends generic header auth resolved from $credentials, with credential defaults filled', async () => {
		const result = await runNode(fixture({ items: [{ json: { n: 1 } }, { json: { n: 2 } }] }));

		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		const calls = server.calls('/echo', 'POST');
		expect(calls).toHaveLength(2);
		expect(calls.map((c) => c.headers.authorization)).toEqual([
			`Bearer ${HEADER_KEY}`,
			`Bearer ${HEADER_KEY}`,
		]);
		// `tenant` was not in the test credentials: its default reached the generic `qs` expression.
		expect(calls[0].query).toBe('?tenant=default-tenant');
		expect(result.items.map((i) => i.json.response)).toEqual([
			{ ok: true, tenant: 'default-tenant', received: { item: 0, input: { n: 1 } } },
			{ ok: true, tenant: 'default-tenant', received: { item: 1, input: { n: 2 } } },
		]);
	});

	it('keeps pairedItem, uses the full node type and the latest version unless told', async () => {
		const latest = await runNode(fixture({ items: [{ json: {} }, { json: {} }, { json: {} }] }));
		expect(latest.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(latest.items[0].json.nodeType).toBe('n8n-nodes-harness-fixture.harnessFixture');
		expect(latest.items[0].json.typeVersion).toBe(2);
		expect(latest.nodeName).toBe('Harness Fixture');

		const v1 = await runNode(fixture({ typeVersion: 1 }));
		expect(v1.items[0].json.typeVersion).toBe(1);
	});

	it('gives nodes a live execution cancel signal', async () => {
		const result = await runNode(fixture());
		expect(result.items[0].json.cancelSignalAvailable).toBe(true);
	});

	it('calls a function authenticate', async () => {
		const result = await runNode(
			fixture({
				parameters: { authentication: 'function', path: '/echo' },
				credentials: { fixtureFunctionApi: { baseUrl: server.url, apiKey: FUNCTION_KEY } },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(server.calls('/echo')[0].headers['x-api-key']).toBe(FUNCTION_KEY);
		expect(server.calls('/echo')[0].headers.authorization).toBeUndefined();
	});

	it('turns a failed item into an error item with continueOnFail', async () => {
		const result = await runNode(
			fixture({ parameters: { authentication: 'header', path: '/fail' }, continueOnFail: true }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toEqual(expect.any(String));
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('surfaces a NodeApiError with its httpCode when the node throws', async () => {
		const result = await runNode(
			fixture({ parameters: { authentication: 'header', path: '/fail' } }),
		);
		expect(result.run.status).toBe('error');
		expect(result.items).toEqual([]);
		// The engine stores a plain copy of the thrown error: fields, not the instance.
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '500',
			description: 'upstream exploded',
			node: { name: 'Harness Fixture' },
		});
		expect(result.error?.message).toEqual(expect.any(String));
		expect(result.error?.stack).toContain('NodeApiError');
		// n8n-core's ErrorReporter logged it (captured, not printed).
		expect(result.logs.some((l) => l.level === 'error' && /status code 500/.test(l.message))).toBe(
			true,
		);
		expect(scanForSecrets([result.error, result.logs, result.run], [HEADER_KEY])).toEqual([]);
	});

	it('surfaces a NodeOperationError', async () => {
		const result = await runNode(
			fixture({ parameters: { authentication: 'header', failWith: 'operationError' } }),
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Fixture refused item 0');
		expect(server.ledger).toHaveLength(0);
	});

	it('carries workflow static data in and out', async () => {
		const first = await runNode(fixture({ items: [{ json: {} }, { json: {} }] }));
		expect(first.staticData['node:Harness Fixture']).toEqual({ requests: 2 });
		const second = await runNode(fixture({ staticData: first.staticData }));
		expect(second.staticData['node:Harness Fixture']).toEqual({ requests: 3 });
	});

	it('cancels the execution when the signal aborts, even with a request hanging', async () => {
		server.faults.add({ kind: 'hang' }, { path: '/echo' });
		const controller = new AbortController();
		const pending = runNode(fixture({ signal: controller.signal }));
		await waitFor(() => server.calls('/echo').length === 1);
		controller.abort();
		const started = Date.now();
		const result = await pending;
		expect(Date.now() - started).toBeLessThan(2000);
		expect(result.run.status).toBe('canceled');
		expect(result.items).toEqual([]);
	});
});

describe('preAuthentication with an expirable token', () => {
	const tokenCredentials = (accessToken?: string) => ({
		fixtureTokenApi: {
			baseUrl: server.url,
			clientId: 'client-1',
			clientSecret: CLIENT_SECRET,
			...(accessToken !== undefined && { accessToken }),
		},
	});

	it('logs in once and reuses the token for every later request of the run', async () => {
		const result = await runNode(
			fixture({
				parameters: { authentication: 'token', path: '/echo' },
				credentials: tokenCredentials(),
				items: [{ json: {} }, { json: {} }, { json: {} }],
			}),
		);
		expect(result.error).toBeUndefined();
		expect(server.calls('/login')).toHaveLength(1);
		expect(server.calls('/echo').map((c) => c.headers.authorization)).toEqual([
			'Bearer tok-1',
			'Bearer tok-1',
			'Bearer tok-1',
		]);
		expect(result.credentialEvents.filter((e) => e.kind === 'preAuthentication')).toEqual([
			{ kind: 'preAuthentication', type: 'fixtureTokenApi', expired: false },
		]);
		// Written back to the store, as the CLI writes it to the database.
		expect(result.credentials.fixtureTokenApi.accessToken).toBe('tok-1');
	});

	it('skips the login when a stored token is still good', async () => {
		validTokens.add('tok-kept');
		const result = await runNode(
			fixture({
				parameters: { authentication: 'token', path: '/echo' },
				credentials: tokenCredentials('tok-kept'),
			}),
		);
		expect(result.error).toBeUndefined();
		expect(server.calls('/login')).toHaveLength(0);
		expect(server.calls('/echo')[0].headers.authorization).toBe('Bearer tok-kept');
	});

	it('logs in again after a 401 (credentials expired) and retries once', async () => {
		const result = await runNode(
			fixture({
				parameters: { authentication: 'token', path: '/echo' },
				credentials: tokenCredentials('tok-stale'),
			}),
		);
		expect(result.error).toBeUndefined();
		expect(server.calls('/echo').map((c) => [c.headers.authorization, c.status])).toEqual([
			['Bearer tok-stale', 401],
			['Bearer tok-1', 200],
		]);
		expect(result.credentialEvents.filter((e) => e.kind === 'preAuthentication')).toEqual([
			{ kind: 'preAuthentication', type: 'fixtureTokenApi', expired: true },
		]);
		expect(result.credentials.fixtureTokenApi.accessToken).toBe('tok-1');
	});
});

describe('runWorkflow', () => {
	it('feeds one node into the next and keeps pairing', async () => {
		const result = await runWorkflow({
			package: FIXTURE,
			credentials: headerCredentials(),
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
			nodes: [
				{ name: 'First', nodeType: 'harnessFixture', parameters: { authentication: 'header' } },
				{ name: 'Second', nodeType: 'harnessFixture', parameters: { authentication: 'header' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.nodes.First.items).toHaveLength(2);
		const second = result.nodes.Second.items;
		expect(second.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(
			(second[1].json.response as { received: { input: { itemIndex: number } } }).received.input
				.itemIndex,
		).toBe(1);
		expect(server.calls('/echo')).toHaveLength(4);
	});
});

describe('scanForSecrets', () => {
	it('finds nothing in a clean run and a key the server echoed back', async () => {
		const clean = await runNode(fixture());
		expect(scanForSecrets([clean.items, clean.error, clean.run], [HEADER_KEY])).toEqual([]);

		const leaky = await runNode(
			fixture({ parameters: { authentication: 'header', path: '/leak' } }),
		);
		expect(scanForSecrets(leaky.items, [HEADER_KEY, FUNCTION_KEY])).toEqual([HEADER_KEY]);
	});

	it('looks into error description, context, stack and URL-encoded forms', () => {
		const inDescription = Object.assign(new Error('failed'), { description: `key ${HEADER_KEY}` });
		expect(scanForSecrets({ error: inDescription }, [HEADER_KEY])).toEqual([HEADER_KEY]);

		// A message redacted after its stack was first read still leaks through that stack.
		const redactedLate = new Error(`bad key ${FUNCTION_KEY}`);
		expect(redactedLate.stack).toContain(FUNCTION_KEY);
		redactedLate.message = 'bad key sk-...51aa';
		expect(scanForSecrets(redactedLate, [FUNCTION_KEY])).toEqual([FUNCTION_KEY]);

		expect(
			scanForSecrets({ url: `https://x/?k=${encodeURIComponent('a b/c')}` }, ['a b/c']),
		).toEqual(['a b/c']);
		const circular: Record<string, unknown> = { a: 1 };
		circular.self = circular;
		expect(scanForSecrets(circular, ['nope'])).toEqual([]);
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
