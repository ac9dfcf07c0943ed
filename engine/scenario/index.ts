export { parseScenario, type ParseScenarioResult, type ScenarioError } from './parse.ts';
export {
  RawScenarioSchema,
  MenuItemSchema,
  MenuActionSchema,
  type Scenario,
  type RawScenario,
  type MenuItem,
  type MenuAction,
} from './schema.ts';
export {
  LATER_TEXT_KEYS,
  ORDER_TEXT_KEYS,
  RUNTIME_TEXT_KEYS,
  TEXT_KEYS,
  TEXT_KEY_NAMES,
  type TextKey,
} from './textKeys.ts';
export { CHANNEL_TEXT_KEYS, channelTexts, type ChannelTextKey, type ChannelTexts } from './channelTexts.ts';
export {
  ROUTES,
  INTENT_NAMES,
  DEFAULT_ROUTING,
  MENU_FLOWS,
  RELAXABLE,
  type Route,
  type MenuFlow,
  type Relaxable,
} from './routes.ts';
export { PersistedSchema, readPersisted } from './migrate.ts';
export { durationMs } from './duration.ts';
export {
  DesignerIntentsSchema,
  MAX_DESIGNER_INTENTS,
  checkIntentExamples,
  type ScenarioIntent,
  type ScenarioIntents,
} from './intents.ts';
