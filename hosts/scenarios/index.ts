export {
  loadScenarioDir,
  loadScenarioFile,
  loadScenarioText,
  type LoadedScenario,
  type ScenarioProblem,
} from './load.ts';
export { ScenarioRegistry, type ScenarioAssignment, type ScenarioOverrides } from './registry.ts';
