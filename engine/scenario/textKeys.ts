/**
 * Every text key the machines and the channels use, with the placeholders each may contain. A scenario must
 * define all of them in every language; `parseScenario` rejects unknown placeholders so a typo
 * such as `{totl}` is caught when the scenario is loaded, not when a shopper sees it.
 */
export const TEXT_KEYS = {
  greeting: [],
  menuPrompt: [],
  help: [],
  fallback: [],
  askWhat: [],
  thanks: [],
  bye: [],
  smalltalk: [],
  languagePrompt: [],
  languageChanged: ['language'],
  searchResults: ['total', 'page', 'pages'],
  searchRelaxed: [],
  noResults: [],
  noMoreResults: [],
  productNotFound: ['sku'],
  recommendations: [],
  alertAskProduct: [],
  alertCreated: ['name', 'price'],
  alertCreatedTarget: ['name', 'price', 'target'],
  alertSearchCreated: [],
  alertCancelled: [],
  alertsInfo: [],
  priceDropped: ['name', 'old', 'new'],
  alertMatched: ['name', 'price'],
  alertDigest: ['count'],
  alertDigestMore: ['count'],
  // a shopper's message the runtime gave up on (dead letter): a manager will look
  messageFailed: [],
  // an order's status changes, told to the shopper who placed it
  orderAwaitingPayment: ['number', 'total'],
  orderPaid: ['number', 'total'],
  orderConfirmed: ['number'],
  orderShipped: ['number'],
  orderReadyForPickup: ['number', 'store'],
  orderCompleted: ['number'],
  orderCancelled: ['number'],
  imageSimilar: ['total'],
  imageNoMatch: [],
  voiceUnsupported: [],
  unsupported: [],
  documentUnsupported: [],
  photoTooLarge: [],
  locationReceived: [],
  escalated: [],
  escalationFailed: [],
  managerMessage: ['manager', 'text'],
  managerDefaultName: [],
  managerBusy: [],
  managerResolved: [],
  backToBot: [],
  escalationSilenceClosed: [],
  afterHoursToday: ['time'],
  afterHoursTomorrow: ['time'],
  afterHoursLater: ['date', 'time'],
  offerManager: [],
  idleFollowUp: [],
  forgotPreferences: [],
  error: [],
  btnMore: [],
  btnMenu: [],
  btnManager: [],
  btnDetails: [],
  btnAlert: [],
  btnUnsubscribe: [],
  btnRelax: [],
  btnAlertSearch: [],
  btnBackToBot: [],
  // designer flows: the way out of a question, and what the bot says when the shopper takes it
  btnCancel: [],
  flowCancelled: [],
  // the words a channel adds around the replies it renders (stock, SKU, list buttons, default bodies)
  channelInStock: [],
  channelOutOfStock: [],
  channelWasPrice: [],
  channelSku: [],
  channelChoose: [],
  channelChooseButton: [],
  channelListButton: [],
  channelPickProduct: [],
  channelProductsSection: [],
  channelMoreSection: [],
  channelWhatNext: [],
} as const satisfies Record<string, readonly string[]>;

export type TextKey = keyof typeof TEXT_KEYS;
/** texts added after designers had saved scenarios (designer flows' way out); a host may borrow them from its default */
export const LATER_TEXT_KEYS = ['btnCancel', 'flowCancelled'] as const satisfies readonly TextKey[];
export const TEXT_KEY_NAMES = Object.keys(TEXT_KEYS) as TextKey[];

/** `{total}` → `total` */
export const PLACEHOLDER = /\{([a-zA-Z_]+)\}/g;

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** texts added after designers had saved scenarios: a stored scenario without them borrows the shipped ones */
export const ORDER_TEXT_KEYS = [
  'orderAwaitingPayment',
  'orderPaid',
  'orderConfirmed',
  'orderShipped',
  'orderReadyForPickup',
  'orderCompleted',
  'orderCancelled',
] as const satisfies readonly TextKey[];

/** the runtime's own words to the shopper, added after designers had saved scenarios (borrowed like the order texts) */
export const RUNTIME_TEXT_KEYS = ['messageFailed'] as const satisfies readonly TextKey[];
