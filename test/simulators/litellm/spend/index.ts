/** Spend routes and seeded traffic for the LiteLLM simulator; see routes.ts and seed.ts. */
export {
	registerSpendRoutes,
	arraySource,
	serialiseRow,
	type SpendLogSource,
	type SpendRouteState,
	type TeamRow,
} from './routes';
export {
	seedSpendLogs,
	SeededSpendLogs,
	SEED_MODELS,
	type SeedKey,
	type SeedModel,
	type SpendSeedOptions,
} from './seed';
