import { PROVIDERS } from '../../../nodes/shared/providers';
import {
	baseUrlRefusal,
	safeBaseUrl,
	UnsafeBaseUrlError,
} from '../../../nodes/shared/providers/base-url';
import { plainHttpRefusal } from '../../../nodes/shared/transport/base-url';

describe('baseUrlRefusal', () => {
	it.each([
		['openai', 'https://api.openai.com/v1'],
		['openai', 'http://localhost:8080/openai/v1'],
		['openai', 'http://127.0.0.1:9/openai'],
		['openai', 'http://[::1]:9/openai'],
		['anthropic', 'https://API.anthropic.com/v1/'],
		['openaiCompatible', 'http://vllm.lan:8000/v1'],
		['ollama', 'http://gpu-box:11434'],
	])('%s may use %s', (id, url) => {
		expect(baseUrlRefusal(PROVIDERS[id as keyof typeof PROVIDERS], url)).toBeUndefined();
	});

	it.each([
		['openai', 'https://collector.example.com/v1', /must point at api\.openai\.com/],
		['openai', 'https://api.openai.com.evil.example/v1', /must point at api\.openai\.com/],
		['openai', 'https://api.openai.com@evil.example/v1', /user:password@/],
		['openai', 'http://api.openai.com/v1', /must use https:\/\//],
		['openai', 'ftp://api.openai.com/v1', /http:\/\/ or https:\/\//],
		['openai', 'not a url', /http:\/\/ or https:\/\//],
		['openaiCompatible', 'http://x:y@vllm.lan/v1', /user:password@/],
	])('%s refuses %s', (id, url, message) => {
		expect(baseUrlRefusal(PROVIDERS[id as keyof typeof PROVIDERS], url)).toMatch(message);
	});

	it('safeBaseUrl falls back to the default and throws UnsafeBaseUrlError with the place named', () => {
		expect(safeBaseUrl(PROVIDERS.groq, undefined, 'the secret G')).toBe(
			'https://api.groq.com/openai/v1',
		);
		expect(() => safeBaseUrl(PROVIDERS.groq, 'https://evil.example', 'the secret G')).toThrow(
			UnsafeBaseUrlError,
		);
		expect(() => safeBaseUrl(PROVIDERS.openaiCompatible, undefined, 'the secret C')).toThrow(
			/No base URL is known/,
		);
	});
});

describe('plainHttpRefusal (the Infisical Site URL)', () => {
	it.each([
		'https://app.infisical.com',
		'https://infisical.internal',
		'http://localhost:8080',
		'http://127.0.0.1:9',
		'http://[::1]:9',
	])('accepts %s', (url) => {
		expect(plainHttpRefusal(url)).toBeUndefined();
	});
	it.each([
		'http://infisical.internal:8080',
		'http://10.0.0.5',
		'http://127.0.0.1@evil.example',
		'https://u:p@app.infisical.com',
	])('refuses %s', (url) => {
		expect(plainHttpRefusal(url)).toBeDefined();
	});
});
