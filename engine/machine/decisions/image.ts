import { engine } from '../setup.ts';
import { READING } from '../stateIds.ts';
import { turn } from './refs.ts';

/** A photo: read it for a product code, else find what it looks like (flows/imageLookup.ts). */
export function imageDecisions() {
  return engine.createStateConfig({
    on: {
      image: [{ target: READING, actions: turn('startImage') }],
    },
  }).on;
}
