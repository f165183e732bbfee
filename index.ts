// n8n loads the package from the `n8n` section of package.json; this index lets code import the classes.
export { LiteLlmApi } from './credentials/LiteLlmApi.credentials';
export { LiteLlmOpenRouterApi } from './credentials/LiteLlmOpenRouterApi.credentials';
export { LiteLlmChat } from './nodes/LiteLlmChat/LiteLlmChat.node';
export { LiteLlmChatModel } from './nodes/LiteLlmChatModel/LiteLlmChatModel.node';
export { LiteLlmUsage } from './nodes/LiteLlmUsage/LiteLlmUsage.node';
export { LiteLlmInfisicalApi } from './credentials/LiteLlmInfisicalApi.credentials';
export { LiteLlmKeyManager } from './nodes/LiteLlmKeyManager/LiteLlmKeyManager.node';
export { LiteLlmBudgetTrigger } from './nodes/LiteLlmBudgetTrigger/LiteLlmBudgetTrigger.node';
