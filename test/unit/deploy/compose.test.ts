/**
 * deploy/compose.yaml: LiteLLM on port 4000 with the config volume, a /health/liveliness health check, a
 * memory limit near 500 MB, env from an env file, Postgres for its DB, and the image pinned by version and
 * digest (no floating tag, not the compromised 1.82.7/1.82.8).
 */
import { deployText, deployYaml, envReferences } from './read-deploy';
import {
	COMPROMISED_LITELLM_VERSIONS,
	isPlaceholderDigest,
	liteLlmImageProblems,
	parseImageRef,
} from './image-pin';

interface Service {
	image: string;
	command?: string[];
	ports?: string[];
	volumes?: string[];
	env_file?: string[];
	environment?: Record<string, string>;
	healthcheck?: { test: string[] };
	deploy?: { resources?: { limits?: { memory?: string } } };
	mem_limit?: string;
	depends_on?: Record<string, { condition: string }>;
}

const compose = deployYaml<{ services: Record<string, Service> }>('compose.yaml');
const litellm = compose.services.litellm;
const DIGEST = `sha256:${'ab12'.repeat(16)}`;

function megabytes(value: string | undefined): number {
	const m = /^(\d+(?:\.\d+)?)\s*([kmg])?i?b?$/i.exec(value ?? '');
	if (!m) return NaN;
	const unit = (m[2] ?? '').toLowerCase();
	return (
		Number(m[1]) *
		(unit === 'g' ? 1024 : unit === 'k' ? 1 / 1024 : unit === 'm' ? 1 : 1 / (1024 * 1024))
	);
}

describe('image pin rules', () => {
	it.each([
		['ghcr.io/berriai/litellm:main-stable', /floating tag main-stable/],
		['ghcr.io/berriai/litellm:main-latest', /floating tag/],
		['ghcr.io/berriai/litellm:latest', /floating tag latest/],
		['ghcr.io/berriai/litellm', /no tag/],
		['ghcr.io/berriai/litellm:v1.83.7-stable', /not pinned by a sha256 digest/],
		[`ghcr.io/berriai/litellm:main-stable@${DIGEST}`, /floating tag/],
		[`ghcr.io/berriai/litellm:v1.82.7-stable@${DIGEST}`, /compromised version 1\.82\.7/],
		[`ghcr.io/berriai/litellm:main-v1.82.8@${DIGEST}`, /compromised version 1\.82\.8/],
		[`ghcr.io/berriai/litellm:v1.74.0-stable@${DIGEST}`, /older than/],
		['ghcr.io/berriai/litellm:v1.83.7-stable@sha256:abc', /not pinned by a sha256 digest/],
	])('rejects %s', (ref, problem) => {
		expect(liteLlmImageProblems(ref).join('; ')).toMatch(problem);
	});

	it('accepts a version tag with a digest', () => {
		expect(liteLlmImageProblems(`ghcr.io/berriai/litellm:v1.83.7-stable@${DIGEST}`)).toEqual([]);
		expect(parseImageRef(`localhost:5000/litellm:v1.84.0@${DIGEST}`)).toMatchObject({
			repository: 'localhost:5000/litellm',
			version: '1.84.0',
		});
	});
});

describe('deploy/compose.yaml', () => {
	it('pins the LiteLLM image by version and digest, never a floating tag or a compromised version', () => {
		expect(parseImageRef(litellm.image).repository).toBe('ghcr.io/berriai/litellm');
		expect(liteLlmImageProblems(litellm.image)).toEqual([]);
		for (const v of COMPROMISED_LITELLM_VERSIONS) expect(litellm.image).not.toContain(v);
	});

	it('marks the shipped digest as a placeholder the operator must replace (honest until filled in)', () => {
		// The repository cannot reach the registry to look the digest up; the all-zero digest makes a pull fail
		// loudly instead of running an unreviewed image. Once an operator fills it in, this comment must go too.
		if (isPlaceholderDigest(litellm.image))
			expect(deployText('compose.yaml')).toMatch(/PLACEHOLDER digest: fill before use/);
	});

	it('serves LiteLLM on port 4000 (loopback) with config.yaml mounted and the config flag pointing at it', () => {
		expect(litellm.ports).toContain('127.0.0.1:4000:4000');
		const mount = litellm.volumes?.find((v) => v.split(':')[1] === '/app/config.yaml');
		expect(mount?.split(':')[0]).toBe('./config.yaml');
		expect(litellm.command).toEqual(
			expect.arrayContaining(['--config', '/app/config.yaml', '--port', '4000']),
		);
	});

	it('checks /health/liveliness and limits memory to about 500 MB', () => {
		expect(litellm.healthcheck?.test.join(' ')).toContain('/health/liveliness');
		const limit = megabytes(litellm.deploy?.resources?.limits?.memory ?? litellm.mem_limit);
		expect(limit).toBeGreaterThanOrEqual(400);
		expect(limit).toBeLessThanOrEqual(600);
	});

	it('takes secrets from an env file, enables DB models, and runs Postgres as its database', () => {
		expect(litellm.env_file?.length).toBeGreaterThan(0);
		expect(litellm.environment?.STORE_MODEL_IN_DB).toBe('True');
		// No secret literal in the compose file itself.
		for (const value of Object.values(litellm.environment ?? {})) expect(value).not.toMatch(/^sk-/);
		expect(compose.services.db.image).toMatch(/^postgres:\d+(\.\d+)*-?/);
		expect(litellm.depends_on?.db.condition).toBe('service_healthy');
	});

	it('ships an env example with every variable config.yaml reads', () => {
		const example = deployText('.env.example');
		const names = envReferences(deployYaml('config.yaml'));
		expect(names.length).toBeGreaterThan(5);
		for (const name of names) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
	});
});
