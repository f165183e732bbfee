/**
 * The LiteLLM version the tests run, taken from deploy/compose.yaml's image tag so the reference deployment
 * and the test bed can never drift apart, and the sha256 of that version's wheel as published on PyPI
 * (checked before install: a re-published or swapped file fails loudly instead of running).
 *
 * Bumping LiteLLM: change the image tag (and digest) in deploy/compose.yaml, then add the new wheel's
 * sha256 below (`pip download litellm==X --no-deps` and `sha256sum`). 1.82.7 and 1.82.8 were compromised
 * on PyPI (stolen publishing token); they are refused here as well as in the deploy tests.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export const COMPROMISED_VERSIONS = ['1.82.7', '1.82.8'];

/** sha256 of `litellm-<version>-py3-none-any.whl`, as downloaded from PyPI and reviewed. */
export const WHEEL_SHA256: Record<string, string> = {
	'1.83.7': '5784a1d9a9a4a8acd6ca1e347003a5e2e1b3c749b4d41e7da4904577adade111',
};

/** x.y.z of `ghcr.io/berriai/litellm:vX.Y.Z-...` in deploy/compose.yaml. */
export function pinnedLiteLlmVersion(
	composeText = readFileSync(join(REPO_ROOT, 'deploy', 'compose.yaml'), 'utf8'),
): string {
	const match = /image:\s*ghcr\.io\/berriai\/litellm:v?(\d+\.\d+\.\d+)[^\s@]*/.exec(composeText);
	if (!match) throw new Error('deploy/compose.yaml has no ghcr.io/berriai/litellm:vX.Y.Z image');
	const version = match[1];
	if (COMPROMISED_VERSIONS.includes(version))
		throw new Error(`LiteLLM ${version} is a compromised release; pin another`);
	if (!WHEEL_SHA256[version])
		throw new Error(
			`no reviewed wheel sha256 for LiteLLM ${version} in test/litellm-proxy/version.ts`,
		);
	return version;
}
