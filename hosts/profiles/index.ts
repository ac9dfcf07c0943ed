export { createProfilePort } from './profilePort.ts';
export { statePreferenceStore, parsePreferences, type PreferenceStore } from './store.ts';
export {
  emptyPreferences,
  learnSearch,
  learnView,
  recommendationQueries,
  priceRange,
  type Preferences,
} from '../../engine/preferences.ts';
