/** npm start's pure parts: the .env parser, the settings read from the environment, the workflow preparation. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseEnv } from '../../sandbox/env-file';
import { readSettings, SettingsError } from '../../sandbox/settings';
import { credentialRefs, readShippedWorkflows, SLACK_PLACEHOLDER } from '../../sandbox/workflows';

describe('parseEnv', () => {
	it('reads plain, quoted and exported values, and skips comments and junk', () => {
		const env = parseEnv(
			[
				'# comment',
				'A=1',
				'export B = two ',
				'C="x y\\nz"',
				"D='#not a comment'",
				'E=val # trailing',
				'not a line',
				'F=',
				'',
			].join('\n'),
		);
		expect(env).toEqual({ A: '1', B: 'two', C: 'x y\nz', D: '#not a comment', E: 'val', F: '' });
	});
});

describe('readSettings', () => {
	it('is the sandbox without LITELLM_BASE_URL, and lists service variables it ignores', () => {
		const s = readSettings({ OPENROUTER_API_KEY: 'sk-or-v1-x' });
		expect(s).toMatchObject({
			port: 5678,
			sandbox: true,
			credentials: {},
			ignored: ['OPENROUTER_API_KEY'],
		});
	});

	it('builds credentials from the variables given', () => {
		const s = readSettings({
			N8N_PORT: '5680',
			LITELLM_BASE_URL: 'http://localhost:4000',
			LITELLM_API_KEY: 'sk-master',
			OPENROUTER_API_KEY: 'sk-or-v1-a',
			OPENROUTER_MANAGEMENT_KEY: 'sk-or-v1-m',
			INFISICAL_CLIENT_ID: 'id',
			INFISICAL_CLIENT_SECRET: 'secret',
			INFISICAL_PROJECT_ID: 'proj',
			INFISICAL_SECRET_PATH: '/litellm',
			SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B1/abc',
			LLM_GATEWAY_TOKEN: 'tok',
		});
		expect(s.sandbox).toBe(false);
		expect(s.port).toBe(5680);
		expect(s.credentials.liteLlmApi).toEqual({
			baseUrl: 'http://localhost:4000',
			apiKey: 'sk-master',
		});
		expect(s.credentials.liteLlmOpenRouterApi?.apiKey).toBe('sk-or-v1-a');
		expect(s.credentialsById.openRouterMgmt01?.apiKey).toBe('sk-or-v1-m');
		expect(s.credentials.liteLlmInfisicalApi).toMatchObject({
			siteUrl: 'https://app.infisical.com',
			environment: 'prod',
			folderPath: '/litellm',
		});
		expect(s.credentials.httpHeaderAuth).toEqual({ name: 'Authorization', value: 'Bearer tok' });
		expect(s.slackWebhookUrl).toBe('https://hooks.slack.com/services/T1/B1/abc');
	});

	it.each([
		[{ N8N_PORT: 'abc' }, /N8N_PORT must be a port/],
		[{ N8N_PORT: '5679' }, /task broker/],
		[{ LITELLM_BASE_URL: 'localhost:4000', LITELLM_API_KEY: 'k' }, /needs a scheme/],
		[{ LITELLM_BASE_URL: 'http://localhost:4000' }, /LITELLM_API_KEY is not/],
		[
			{ LITELLM_BASE_URL: 'http://l:4000', LITELLM_API_KEY: 'k', INFISICAL_CLIENT_ID: 'id' },
			/INFISICAL_CLIENT_SECRET, INFISICAL_PROJECT_ID/,
		],
	])('refuses %j', (env, message) => {
		expect(() => readSettings(env)).toThrow(SettingsError);
		expect(() => readSettings(env)).toThrow(message);
	});
});

describe('shipped workflows as npm start imports them', () => {
	it('replaces every Slack placeholder and keeps the JSON valid', () => {
		const url = 'http://127.0.0.1:9/services/T/B/"quoted"';
		const workflows = readShippedWorkflows(undefined, url);
		const text = JSON.stringify(workflows.map((w) => w.json));
		expect(text).not.toMatch(SLACK_PLACEHOLDER);
		const withSlack = workflows.filter((w) =>
			JSON.stringify(w.json).includes('127.0.0.1:9/services'),
		);
		expect(withSlack.length).toBeGreaterThanOrEqual(3);
	});

	it('finds each credential the workflows reference once, with its id', () => {
		const refs = credentialRefs(readShippedWorkflows());
		const keys = refs.map((r) => `${r.type}:${r.id}`);
		expect(new Set(keys).size).toBe(keys.length);
		expect(refs.map((r) => r.type)).toEqual(
			expect.arrayContaining(['liteLlmApi', 'liteLlmOpenRouterApi', 'liteLlmInfisicalApi']),
		);
		for (const r of refs) expect(r.id.length).toBeGreaterThan(0);
	});
});

describe('.env.example and the README table agree on the Infisical defaults', () => {
	const root = join(__dirname, '..', '..', '..');
	const example = parseEnv(readFileSync(join(root, '.env.example'), 'utf8'));
	const readme = readFileSync(join(root, 'README.md'), 'utf8');
	// The README's variable table names the defaults of the environment and the folder: "(default `prod`, `/`)".
	const [, environment, folder] =
		/INFISICAL_SECRET_PATH`[^\n]*\(default `([^`]+)`, `([^`]+)`\)/.exec(readme) ?? [];

	it('the README states both defaults', () => {
		expect([environment, folder]).toEqual([expect.any(String), expect.any(String)]);
	});

	it('.env.example carries the same values, and npm start uses them when the lines are left empty', () => {
		expect([example.INFISICAL_ENVIRONMENT, example.INFISICAL_SECRET_PATH]).toEqual([
			environment,
			folder,
		]);
		const base = {
			LITELLM_BASE_URL: 'http://localhost:4000',
			LITELLM_API_KEY: 'sk-master',
			INFISICAL_CLIENT_ID: 'id',
			INFISICAL_CLIENT_SECRET: 'secret',
			INFISICAL_PROJECT_ID: 'proj',
		};
		expect(readSettings(base).credentials.liteLlmInfisicalApi).toMatchObject({
			environment,
			folderPath: folder,
		});
		expect(
			readSettings({
				...base,
				INFISICAL_ENVIRONMENT: example.INFISICAL_ENVIRONMENT,
				INFISICAL_SECRET_PATH: example.INFISICAL_SECRET_PATH,
			}).credentials.liteLlmInfisicalApi,
		).toMatchObject({ environment, folderPath: folder });
	});
});
