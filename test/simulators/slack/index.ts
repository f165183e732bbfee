export { SlackReceiver, type SlackMessage, type SlackReceiverOptions } from './receiver';
