/**
 * The machine's id and every state a transition targets, in one place. Targets are absolute
 * (`#zeta.<path>`) so a flow can send the conversation anywhere without knowing where it sits.
 */
export const MACHINE_ID = 'zeta';
const at = (path: string) => `#${MACHINE_ID}.${path}` as const;

export const IDLE = at('idle');
export const UNDERSTANDING = at('understanding');
export const TRANSCRIBING = at('transcribing');
export const RECOMMENDING = at('recommending');
export const SEARCHING = at('search.searching');
export const DETAILS = at('search.details');
export const READING = at('image.reading');
export const IMAGE_LOOKING_UP = at('image.lookingUp');
export const DESCRIBING = at('image.describing');
export const REQUESTING = at('escalation.requesting');
export const WAITING = at('escalation.withManager.waiting');
export const TALKING = at('escalation.withManager.talking');
export const ALERT_LOOKUP = at('alerts.lookingUp');
export const ALERT_CREATING = at('alerts.creating');
export const CART_ADDING = at('cart.adding');
export const ORDERS_FINDING = at('orders.finding');
/** a designer flow's step (scenario `flows:`); the flow's own node is `flows.<flow>` */
export const FLOWS = 'flows';
export const flowStep = (flow: string, step: string) => at(`${FLOWS}.${flow}.${step}`);
export const flowEntry = (flow: string) => at(`${FLOWS}.${flow}`);
