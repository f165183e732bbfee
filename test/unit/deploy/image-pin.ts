/**
 * Checks a container image reference is pinned: a version tag AND a sha256 digest, no floating tag, and
 * (for LiteLLM) not a version known to be compromised or vulnerable. Pure, so the rules are unit-tested
 * on good and bad references as well as applied to deploy/compose.yaml.
 */

/** LiteLLM's PyPI 1.82.7 and 1.82.8 (March 2026, stolen publishing token; 1.82.8 exfiltrated env vars). */
export const COMPROMISED_LITELLM_VERSIONS = ['1.82.7', '1.82.8'];
/** Fixes GHSA-r75f-5x8p-qvmc (SQL injection in key verification). */
export const MIN_LITELLM_VERSION = '1.83.7';

const FLOATING =
	/^(latest|stable|main|main-latest|main-stable|nightly|dev|main-dev|litellm_stable_release_branch.*)$/i;

export interface ImageRef {
	repository: string;
	tag?: string;
	digest?: string;
	/** x.y.z found in the tag, if any. */
	version?: string;
}

export function parseImageRef(ref: string): ImageRef {
	const [nameAndTag, digest] = ref.split('@');
	const lastSlash = nameAndTag.lastIndexOf('/');
	const colon = nameAndTag.indexOf(':', lastSlash + 1);
	const repository = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
	const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
	const version = tag?.match(/(\d+\.\d+\.\d+)/)?.[1];
	return { repository, tag, digest, version };
}

function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
	return 0;
}

/** The problems of a LiteLLM image reference; empty when it is pinned by version and digest and safe. */
export function liteLlmImageProblems(ref: string): string[] {
	const image = parseImageRef(ref);
	const problems: string[] = [];
	if (!image.tag) problems.push('no tag (implicitly :latest)');
	else if (FLOATING.test(image.tag) || /(^|-)latest$|^main-stable$/.test(image.tag))
		problems.push(`floating tag ${image.tag}`);
	if (!image.version) problems.push('the tag names no x.y.z version');
	if (!image.digest || !/^sha256:[0-9a-f]{64}$/.test(image.digest))
		problems.push('not pinned by a sha256 digest');
	if (image.version && COMPROMISED_LITELLM_VERSIONS.includes(image.version))
		problems.push(`compromised version ${image.version}`);
	if (image.version && compareVersions(image.version, MIN_LITELLM_VERSION) < 0) {
		problems.push(`version ${image.version} is older than ${MIN_LITELLM_VERSION}`);
	}
	return problems;
}

/** True for the all-zero digest deploy/compose.yaml ships until the operator fills in a real one. */
export function isPlaceholderDigest(ref: string): boolean {
	return /@sha256:0{64}$/.test(ref);
}
