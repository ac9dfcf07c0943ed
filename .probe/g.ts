import { readFileSync } from 'node:fs';
import { loadScenarioText } from '../hosts/scenarios/load.ts';
import { scenarioGraph } from '../engine/machine/graph.ts';
const l = loadScenarioText(readFileSync('scenarios/default.yaml','utf8'), 'default.yaml');
if (!l.ok) throw new Error('bad');
const g = scenarioGraph(l.scenario);
console.log(JSON.stringify(g.states));
for (const t of g.transitions) console.log(t.from, '--', t.event, JSON.stringify(t.conditions), '->', t.to, t.intents?.join(',') ?? '', t.menu?.join(',') ?? '');
console.log(JSON.stringify(g).length);
