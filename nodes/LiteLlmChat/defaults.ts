/**
 * How many items the Chat node sends at once unless its Concurrency option says otherwise. Chosen from
 * measurements through a real LiteLLM proxy (default settings, one worker): see the README's Chat node
 * options and `test/bench/litellm-concurrency.bench.ts`.
 */
export const DEFAULT_CONCURRENCY = 8;
