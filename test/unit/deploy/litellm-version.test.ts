/**
 * The test bed's LiteLLM (test/litellm-proxy) is the version deploy/compose.yaml pins, with a reviewed wheel
 * digest, and never a compromised release.
 */
import { deployText } from './read-deploy';
import { parseImageRef } from './image-pin';
import {
	COMPROMISED_VERSIONS,
	pinnedLiteLlmVersion,
	WHEEL_SHA256,
} from '../../litellm-proxy/version';

describe('the LiteLLM version of the test bed', () => {
	it("is deploy/compose.yaml's image version, with a reviewed wheel sha256", () => {
		const compose = deployText('compose.yaml');
		const image = /image:\s*(ghcr\.io\/berriai\/litellm:\S+)/.exec(compose)![1];
		expect(pinnedLiteLlmVersion()).toBe(parseImageRef(image).version);
		expect(WHEEL_SHA256[pinnedLiteLlmVersion()]).toMatch(/^[0-9a-f]{64}$/);
	});

	it.each(COMPROMISED_VERSIONS)('refuses %s', (version) => {
		expect(() =>
			pinnedLiteLlmVersion(
				`    image: ghcr.io/berriai/litellm:v${version}-stable@sha256:${'a'.repeat(64)}`,
			),
		).toThrow(/compromised/);
	});

	it('refuses a version without a reviewed digest, and a compose file without the image', () => {
		expect(() => pinnedLiteLlmVersion('    image: ghcr.io/berriai/litellm:v9.9.9-stable')).toThrow(
			/no reviewed wheel sha256 for LiteLLM 9\.9\.9/,
		);
		expect(() => pinnedLiteLlmVersion('services: {}')).toThrow(/has no ghcr\.io\/berriai\/litellm/);
	});
});
