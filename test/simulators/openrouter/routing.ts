/**
 * The `provider` routing object: which endpoints of a model may serve, in which order.
 *
 * - Default order: cheapest first (prompt + completion price), a deterministic stand-in for OpenRouter's
 *   price-weighted load balancing; `sort: "price"` gives the same.
 * - `order`: those providers first, in that order; the others follow (cheapest first) unless
 *   `allow_fallbacks: false`.
 * - Without `order`, `allow_fallbacks: false` keeps only the primary (cheapest) endpoint.
 * - `only` / `ignore`: allow-list / deny-list. Slugs or display names, case-insensitive.
 * - `max_price` (USD per million tokens: prompt, completion, request): endpoints above it are filtered out.
 */
import { type CatalogueModel, type Endpoint, perMillion } from './catalogue';

export interface ProviderPreferences {
	order?: string[];
	allow_fallbacks?: boolean;
	only?: string[];
	ignore?: string[];
	sort?: string;
	max_price?: { prompt?: number; completion?: number; request?: number };
}

export function readPreferences(value: unknown): ProviderPreferences {
	if (!value || typeof value !== 'object') return {};
	return value as ProviderPreferences;
}

const norm = (s: string) => s.toLowerCase();
const matches = (e: Endpoint, names: string[] | undefined) =>
	(names ?? []).some((n) => norm(n) === norm(e.slug) || norm(n) === norm(e.name));

export function price(e: Endpoint): number {
	return Number(e.prompt) + Number(e.completion);
}

export interface Selection {
	endpoints: Endpoint[];
	/** Why nothing is left, when `endpoints` is empty. */
	reason?: 'max_price' | 'provider_filter';
}

export function selectEndpoints(model: CatalogueModel, prefs: ProviderPreferences): Selection {
	let candidates = model.endpoints.filter(
		(e) => (prefs.only ? matches(e, prefs.only) : true) && !matches(e, prefs.ignore),
	);
	const byPrice = [...candidates].sort((a, b) => price(a) - price(b));
	if (prefs.order && prefs.order.length > 0) {
		const ordered = prefs.order
			.map((name) => candidates.find((e) => matches(e, [name])))
			.filter((e): e is Endpoint => e !== undefined);
		const rest = prefs.allow_fallbacks === false ? [] : byPrice.filter((e) => !ordered.includes(e));
		candidates = [...ordered, ...rest];
	} else {
		// Without `order`, `allow_fallbacks: false` leaves only the primary (cheapest) endpoint.
		candidates = prefs.allow_fallbacks === false ? byPrice.slice(0, 1) : byPrice;
	}
	if (candidates.length === 0) return { endpoints: [], reason: 'provider_filter' };
	const max = prefs.max_price;
	if (max) {
		candidates = candidates.filter(
			(e) =>
				(max.prompt === undefined || perMillion(e.prompt) <= max.prompt) &&
				(max.completion === undefined || perMillion(e.completion) <= max.completion) &&
				(max.request === undefined || Number(e.request ?? '0') <= max.request),
		);
		if (candidates.length === 0) return { endpoints: [], reason: 'max_price' };
	}
	return { endpoints: candidates };
}
