export { seedDemoData, DEFAULT_SYSTEM_PROMPT, type SeedReport } from './seed.ts';
export { buildDemoCatalog, catalogForCity, DEMO_CITIES, CATEGORY_SPECS, MODELS, type DemoProduct } from './catalog.ts';
export { placeholderSvg, type PlaceholderInput } from './placeholder.ts';
